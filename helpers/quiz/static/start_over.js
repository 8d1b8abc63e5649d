// The dashboard's "Start a lesson over" control (helpers/quiz/dashboard.py, StartOverControl).
// Traits set in Python: options [{value, label}], value (the lesson chosen), reason (why Start over
// is disabled; "" = enabled), question (the confirmation, plain text; "" = not asking), status
// (HTML made and escaped in Python). The page sends {event: "choose", value} on a change and
// {event: "ask", value}, {event: "yes"}, {event: "cancel"} (messages, not synced traits: those
// wait while the kernel is busy, and Yes must not overtake the choice).
let counter = 0;

function make(tag, attrs = {}, text = undefined) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el }) {
  counter += 1;
  const uid = `dashboard-start-over-${counter}`;
  el.classList.add("dashboard-start-over-root");
  const root = make("div", { class: "dashboard-start-over" });
  const row = make("div", { class: "start-over-row" });
  const select = make("select", { id: `${uid}-lesson`, class: "start-over-lesson" });
  const ask = make("button", { type: "button", class: "start-over-ask",
                               "aria-describedby": `${uid}-reason` }, "START_OVER_LABEL");
  const reason = make("span", { id: `${uid}-reason`, class: "start-over-reason" });
  row.append(make("label", { for: `${uid}-lesson` }, "CHOICE_LABEL"), select, ask, reason);
  const confirm = make("div", { class: "start-over-confirm", role: "group",
                                "aria-labelledby": `${uid}-question` });
  const question = make("p", { id: `${uid}-question`, class: "start-over-question" });
  const buttons = make("div", { class: "start-over-buttons" });
  const yes = make("button", { type: "button", class: "start-over-yes" }, "YES_LABEL");
  const cancel = make("button", { type: "button", class: "start-over-cancel" }, "CANCEL_LABEL");
  buttons.append(yes, cancel);
  confirm.append(question, buttons);
  confirm.hidden = true;
  // the live region is in the page before it changes, so a screen reader reads what happened
  const status = make("div", { class: "start-over-status", role: "status", "aria-live": "polite",
                               tabindex: "-1" });
  root.append(row, confirm, status);
  el.append(root);

  const showOptions = () => {
    select.textContent = "";
    for (const option of model.get("options")) {
      select.append(make("option", { value: option.value }, option.label));
    }
    select.value = model.get("value");
  };
  const showState = () => {
    const asking = model.get("question") !== "";
    const why = model.get("reason");
    const hadFocus = confirm.contains(document.activeElement);
    question.textContent = model.get("question");
    confirm.hidden = !asking;
    select.disabled = asking || model.get("options").length === 0;
    ask.disabled = asking || why !== "";
    reason.textContent = why;
    if (asking && !hadFocus) cancel.focus();           // the safe answer first
    else if (!asking && hadFocus) (ask.disabled ? status : ask).focus();
  };
  const showStatus = () => { status.innerHTML = model.get("status"); };
  select.addEventListener("change", () => model.send({ event: "choose", value: select.value }));
  ask.addEventListener("click", () => model.send({ event: "ask", value: select.value }));
  yes.addEventListener("click", () => model.send({ event: "yes" }));
  cancel.addEventListener("click", () => model.send({ event: "cancel" }));
  confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") model.send({ event: "cancel" });
  });
  // keys stay here: JupyterLab's notebook shortcuts (ArrowDown, letters) never see them
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const stop = (event) => event.stopPropagation();
  el.addEventListener("keydown", stop);

  const showValue = () => { select.value = model.get("value"); };
  const handlers = [["change:options", showOptions], ["change:options", showState],
                    ["change:value", showValue], ["change:question", showState],
                    ["change:reason", showState], ["change:status", showStatus]];
  showOptions();
  showState();
  showStatus();
  for (const [name, handler] of handlers) model.on(name, handler);
  return () => {
    for (const [name, handler] of handlers) model.off(name, handler);
    el.removeEventListener("keydown", stop);
  };
}

export default { render };
