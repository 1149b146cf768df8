from lantern.testing import PASSWORD


def test_signing_in_leads_home(p, client):
    response = client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_gets_a_clear_message(p, client):
    body = client.post("/sign-in/", {"username": "alice", "password": "nope"}).content.decode()
    assert "Enter a correct username and password" in body


def test_empty_sign_in_says_what_is_missing(p, client):
    body = client.post("/sign-in/", {}).content.decode()
    assert "Enter your username" in body and "Enter your password" in body
