// Nothing typed is lost (issue 15). For every form that has a text area (Lantern's long
// forms: concerns, screenings, minutes, plan actions, intelligence, interviews, decisions):
// - what is typed is saved on the server as a draft two seconds after the last key press;
// - a draft is offered back when its author opens the page again ("restore / discard"), and a
//   form that was sent after the session ended is put back at once, for them to check and send;
// - leaving the page with changes not yet saved asks first (the browser's own warning).
// Every form that posts also carries a signed token naming who the page was drawn for, so a
// form sent after the session ended is kept for that person only. lantern/foundation/drafts.py
// keeps, serves and deletes drafts; a form sent successfully deletes its own draft.
const SAVE_AFTER_MS = 2000;
const DRAFTS_URL = "/drafts/";
const page = window.location.pathname;
const author = document.querySelector('meta[name="lantern-author"]')?.content || "";

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch {
    return "";
  }
}

function actionOf(form) {
  return new URL(form.getAttribute("action") || "", window.location.href).pathname;
}

function hidden(form, name, value) {
  let input = form.querySelector(`input[type="hidden"][name="${name}"]`);
  if (!input) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    form.appendChild(input);
  }
  input.value = value;
}

function fieldsOf(form) {
  const fields = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value !== "string" || name === "csrfmiddlewaretoken" || name.startsWith("_")) {
      continue;
    }
    (fields[name] ||= []).push(value);
  }
  return fields;
}

const SKIPPED_TYPES = new Set(["hidden", "file", "password", "submit", "button", "reset"]);

function restore(form, fields) {
  const used = {};
  let lastChosen = null;
  let lastTyped = null;
  for (const element of form.elements) {
    const name = element.name;
    const values = fields[name] || [];
    if (element.type === "hidden" && /(^|[_-])version$/.test(name || "") && values.length) {
      // The version the draft was typed against comes back with it, so a record someone
      // changed since is reported as changed, never silently overwritten.
      element.value = values[0];
      continue;
    }
    if (!name || name.startsWith("_") || SKIPPED_TYPES.has(element.type)) continue;
    if (element.type === "checkbox" || element.type === "radio") {
      const checked = values.includes(element.value);
      if (element.checked !== checked) lastChosen = element;
      element.checked = checked;
    } else if (element.type === "select-multiple") {
      for (const option of element.options) option.selected = values.includes(option.value);
      lastChosen = element;
    } else if (name in fields) {
      const index = used[name] || 0;
      element.value = values[index] ?? "";
      used[name] = index + 1;
      if (element.tagName === "SELECT") lastChosen = element;
      else lastTyped = element;
    }
  }
  // Once, not per field: what listens to the form (the live screening suggestion, the wording
  // check) catches up with the restored answers.
  lastChosen?.dispatchEvent(new Event("change", { bubbles: true }));
  lastTyped?.dispatchEvent(new Event("input", { bubbles: true }));
}

// One state per form: how many changes were made, how many the server has.
const states = new Map();

function stateOf(form) {
  if (!states.has(form)) {
    states.set(form, { changes: 0, saved: 0, timer: null, sending: false, status: null });
  }
  return states.get(form);
}

function draftBody(form) {
  const body = new FormData();
  body.append("page", page);
  body.append("action", actionOf(form));
  body.append("fields", JSON.stringify(fieldsOf(form)));
  body.append("csrfmiddlewaretoken", csrfToken());
  return body;
}

function showStatus(form, text) {
  const state = stateOf(form);
  if (!state.status) {
    state.status = document.createElement("p");
    state.status.className = "govuk-body-s lantern-draft-status";
    form.appendChild(state.status);
  }
  state.status.textContent = text;
}

async function save(form) {
  const state = stateOf(form);
  if (state.sending || state.submitted) return;
  const changes = state.changes;
  state.sending = true;
  try {
    const response = await fetch(DRAFTS_URL, {
      method: "POST",
      body: draftBody(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
    });
    if (response.ok) {
      const draft = await response.json();
      state.saved = Math.max(state.saved, changes);
      hidden(form, "_draft", "1");
      showStatus(form, `Draft saved at ${draft.saved}`);
      // The idle-timeout warning (timeout.js) hears how long the session has left.
      document.dispatchEvent(new CustomEvent("lantern:contact", {
        detail: { secondsLeft: response.headers.get("Lantern-Session-Seconds") },
      }));
    }
  } catch {
    // Offline or signed out: the changes stay unsaved and leaving the page still warns.
  } finally {
    state.sending = false;
  }
  if (state.changes > state.saved && !state.timer) schedule(form);
}

function schedule(form) {
  const state = stateOf(form);
  clearTimeout(state.timer);
  state.timer = setTimeout(() => {
    state.timer = null;
    save(form);
  }, SAVE_AFTER_MS);
}

function banner(form, title, text, actions) {
  const wrapper = document.createElement("div");
  wrapper.className = "govuk-notification-banner";
  wrapper.setAttribute("role", "region");
  const id = `draft-banner-${Math.random().toString(36).slice(2)}`;
  wrapper.setAttribute("aria-labelledby", id);
  const header = document.createElement("div");
  header.className = "govuk-notification-banner__header";
  const heading = document.createElement("h2");
  heading.className = "govuk-notification-banner__title";
  heading.id = id;
  heading.textContent = title;
  header.appendChild(heading);
  const content = document.createElement("div");
  content.className = "govuk-notification-banner__content";
  const paragraph = document.createElement("p");
  paragraph.className = "govuk-notification-banner__heading";
  paragraph.textContent = text;
  content.appendChild(paragraph);
  if (actions.length) {
    const group = document.createElement("div");
    group.className = "govuk-button-group";
    for (const [label, secondary, onClick] of actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = secondary ? "govuk-button govuk-button--secondary" : "govuk-button";
      button.textContent = label;
      button.addEventListener("click", () => onClick(wrapper));
      group.appendChild(button);
    }
    content.appendChild(group);
  }
  wrapper.append(header, content);
  form.parentNode.insertBefore(wrapper, form);
  return wrapper;
}

function firstField(form) {
  return form.querySelector("textarea, input:not([type=hidden]), select");
}

const normalised = (text) => text.replace(/\r\n/g, "\n").trim();

// The page already shows the draft's text (the form came back with its errors, as typed).
function alreadyShown(form, fields) {
  const areas = [...form.querySelectorAll("textarea[name]")];
  return areas.length > 0 && areas.every((area) => {
    const saved = normalised((fields[area.name] || [""])[0]);
    return saved === "" || saved === normalised(area.value);
  });
}

function offer(form, draft) {
  if (alreadyShown(form, draft.fields)) {
    hidden(form, "_draft", "1");
    return;
  }
  if (draft.source === "signed_out") {
    restore(form, draft.fields);
    hidden(form, "_draft", "1");
    const shown = banner(form, "Important",
      `You were signed out before this form was sent. What you typed at ${draft.saved} has ` +
      "been put back: check it and send it again.", []);
    shown.setAttribute("tabindex", "-1");
    shown.focus();
    return;
  }
  banner(form, "Draft saved", `You have a draft of this form saved at ${draft.saved}.`, [
    ["Restore draft", false, (shown) => {
      restore(form, draft.fields);
      hidden(form, "_draft", "1");
      shown.remove();
      firstField(form)?.focus();
    }],
    ["Discard draft", true, async (shown) => {
      const body = new FormData();
      body.append("page", page);
      body.append("action", draft.action);
      body.append("csrfmiddlewaretoken", csrfToken());
      await fetch(`${DRAFTS_URL}discard/`, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      });
      shown.remove();
      firstField(form)?.focus();
    }],
  ]);
}

const postForms = [...document.querySelectorAll("form")].filter(
  (form) => (form.getAttribute("method") || "").toLowerCase() === "post",
);
if (author) {
  for (const form of postForms) hidden(form, "_author", author);
}

const longForms = postForms.filter(
  (form) => form.querySelector("textarea") && !form.hasAttribute("data-no-draft"),
);
for (const form of longForms) {
  const state = stateOf(form);
  const changed = () => {
    state.changes += 1;
    schedule(form);
  };
  // "input" fires for typing, ticking and choosing alike ("change" would also fire on blur).
  form.addEventListener("input", changed);
  form.addEventListener("submit", () => {
    // What is sent is safe: it is either saved or comes back with its errors, as typed.
    state.saved = state.changes;
    clearTimeout(state.timer);
    // A form htmx sends stays on the page and may be typed into again.
    if (!form.matches("[hx-post], [hx-put], [data-hx-post]")) state.submitted = true;
  });
}

// Drafts are offered on any form (a form sent after the session ended may have no text area).
if (postForms.length) {
  fetch(`${DRAFTS_URL}?${new URLSearchParams({ page })}`, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : { drafts: [] }))
    .then(({ drafts }) => {
      for (const draft of drafts) {
        const form = postForms.find((candidate) => actionOf(candidate) === draft.action);
        if (form) offer(form, draft);
      }
    })
    .catch(() => {});
}

function unsaved() {
  return longForms.filter((form) => {
    const state = stateOf(form);
    return !state.submitted && state.changes > state.saved;
  });
}

window.addEventListener("beforeunload", (event) => {
  const forms = unsaved();
  if (!forms.length) return;
  // Save what we can as the page goes, then let the browser ask whether to leave.
  for (const form of forms) navigator.sendBeacon(DRAFTS_URL, draftBody(form));
  event.preventDefault();
  event.returnValue = "";
});
