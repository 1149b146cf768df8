// The idle-timeout warning: the timeout warning pattern UK government services use. A modal
// dialog opens shortly before the session would end (SESSION_WARNING_SECONDS before it ends),
// takes focus, counts down and offers "Stay signed in", which renews the session on the
// server. The server renews a session at most once a minute, not on every request, so it
// says how long the session has left: the page when it is drawn (data-session-left), and
// every signed-in response in the Lantern-Session-Seconds header (htmx and the drafts'
// requests). The end last heard of, by this tab or the user's other Lantern tabs, is the one
// counted to.
const dialog = document.getElementById("lantern-timeout");

const STORAGE_KEY = "lantern-session-ends";
const HEADER = "Lantern-Session-Seconds";

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

// When the session ends on the server (this browser's clock), as last heard by this tab or by
// another (localStorage): the latest answer is the truth, since a session's end only moves
// later, and a new session (signed in again, or with other settings) replaces the old one.
let endsAt = 0;
export function noteSecondsLeft(seconds) {
  const value = Number(seconds);
  if (seconds === null || seconds === undefined || seconds === "" || !Number.isFinite(value)) {
    return;
  }
  endsAt = Date.now() + value * 1000;
  try {
    localStorage.setItem(STORAGE_KEY, String(endsAt));
  } catch {
    // Private windows may refuse storage: this tab's own clock still works.
  }
}

function latestEnd() {
  try {
    return Number(localStorage.getItem(STORAGE_KEY)) || endsAt;
  } catch {
    return endsAt;
  }
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

if (dialog) {
  const sessionMs = Number(dialog.dataset.sessionSeconds) * 1000;
  const warningMs = Math.min(Number(dialog.dataset.warningSeconds) * 1000, sessionMs);
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const spoken = dialog.querySelector("[data-timeout-spoken]");
  const warning = dialog.querySelector('[data-timeout-state="warning"]');
  const ended = dialog.querySelector('[data-timeout-state="ended"]');
  let returnFocusTo = null;
  let lastSpoken = "";
  let signedOut = false;

  const open = () => {
    if (dialog.open) return;
    returnFocusTo = document.activeElement;
    dialog.showModal();
    dialog.querySelector("[data-timeout-stay]").focus();
  };

  const close = () => {
    if (!dialog.open) return;
    dialog.close();
    if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
  };

  const showSignedOut = () => {
    signedOut = true;
    warning.hidden = true;
    ended.hidden = false;
    dialog.setAttribute("aria-labelledby", "lantern-timeout-ended-heading");
    dialog.removeAttribute("aria-describedby");
    if (!dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
    }
    ended.querySelector("a").focus();
    document.dispatchEvent(new CustomEvent("lantern:signed-out"));
  };

  const tick = () => {
    if (signedOut) return;
    // A second's grace: the server saves the session's new end after it has answered.
    const left = latestEnd() + 1000 - Date.now();
    if (left <= 0) {
      showSignedOut();
      return;
    }
    if (left > warningMs) {
      close();
      return;
    }
    const seconds = Math.ceil(left / 1000);
    countdown.textContent = inWords(seconds);
    // Screen readers hear the time at each minute and at 30 and 10 seconds, not every second.
    const words = seconds > 60 || seconds === 30 || seconds === 10 ? inWords(seconds) : "";
    if (words && words !== lastSpoken) {
      spoken.textContent = words;
      lastSpoken = words;
    }
    open();
  };

  const stay = async () => {
    const response = await fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    });
    if (response.ok) {
      noteSecondsLeft(response.headers.get(HEADER));
      close();
    } else {
      showSignedOut();
    }
  };
  dialog.querySelector("[data-timeout-stay]").addEventListener("click", stay);
  // Escape means "stay signed in" while the warning shows (as in the pattern); once signed
  // out it just closes the dialog, leaving the page as it was.
  dialog.addEventListener("cancel", (event) => {
    if (!signedOut) {
      event.preventDefault();
      stay();
    }
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail && event.detail.xhr;
    if (xhr) noteSecondsLeft(xhr.getResponseHeader(HEADER));
  });
  // Other requests of the page's scripts (drafts) pass on what the server said.
  document.addEventListener("lantern:contact", (event) => {
    noteSecondsLeft(event.detail && event.detail.secondsLeft);
  });
  noteSecondsLeft(dialog.dataset.sessionLeft);
  setInterval(tick, 1000);
}
