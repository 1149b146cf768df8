// The idle-timeout warning: the timeout warning pattern UK government services use. A modal
// dialog opens shortly before the session would end (SESSION_WARNING_SECONDS before
// SESSION_IDLE_SECONDS), takes focus, counts down and offers "Stay signed in", which renews
// the session on the server. Any request to Lantern renews the session, so requests made by
// this page (htmx, drafts) and by the user's other Lantern tabs restart the clock. The server
// renews a session at most once every SESSION_RENEW_SECONDS (it is not written on every
// request), so the clock counts from that much before the last contact: the warning may open
// up to that much early, never late.
const dialog = document.getElementById("lantern-timeout");

const STORAGE_KEY = "lantern-last-contact";

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

// The last time any Lantern tab heard from the server (so the session was renewed).
let lastContact = Date.now();
export function noteContact() {
  lastContact = Date.now();
  try {
    localStorage.setItem(STORAGE_KEY, String(lastContact));
  } catch {
    // Private windows may refuse storage: this tab's own clock still works.
  }
}

function latestContact() {
  let shared = 0;
  try {
    shared = Number(localStorage.getItem(STORAGE_KEY)) || 0;
  } catch {
    shared = 0;
  }
  return Math.max(lastContact, shared);
}

function inWords(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  }
  return `${seconds} second${seconds === 1 ? "" : "s"}`;
}

if (dialog) {
  const renewMs = Number(dialog.dataset.renewSeconds || 0) * 1000;
  const sessionMs = Math.max(Number(dialog.dataset.sessionSeconds) * 1000 - renewMs, 0);
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
    const left = latestContact() + sessionMs - Date.now();
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
      noteContact();
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

  document.body.addEventListener("htmx:afterRequest", noteContact);
  document.addEventListener("lantern:contact", noteContact);
  noteContact();
  setInterval(tick, 1000);
}
