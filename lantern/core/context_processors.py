from lantern.people.models import Role


def lantern(request):
    """What the base template needs to draw the header: the navigation for the user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append(("Home", "/", "home"))
        if user.role not in {Role.ANALYST, Role.BOARD, Role.ADMIN}:
            items.append(("Children", "/children/", "children"))
            items.append(("Work", "/work/", "work"))
            items.append(("Meetings", "/meetings/", "meetings"))
        if user.role in {Role.FRONT_DOOR, Role.CSE_MANAGER}:
            items.append(("Referrals", "/referrals/", "referrals"))
        if user.role not in {Role.BOARD, Role.ADMIN}:
            items.append(("Intelligence", "/intelligence/", "intelligence"))
        if user.is_staff:
            items.append(("Administration", "/admin/", "admin"))
    path = request.path
    current = "home"
    if path.startswith("/referrals"):
        current = "referrals"
    elif path.startswith("/work"):
        current = "work"
    elif path.startswith("/meetings"):
        current = "meetings"
    elif path.startswith(("/children", "/concerns", "/screenings")):
        current = "children"
    elif path.startswith("/intelligence"):
        current = "intelligence"
    elif path.startswith("/admin"):
        current = "admin"
    return {"nav_items": items, "nav_current": current, "service_name": "Lantern"}
