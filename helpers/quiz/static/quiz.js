// One question of the course's quiz, or a quiz's header/score panel: an anywidget ES module.
// Plain JavaScript, no build step; helpers/quiz/question_widget.py sends it with quiz.css.
//
// The model's traits (set in Python):
//   spec      what to draw: {kind: "panel"} or a question {id, type, legend_html, intro, verb,
//             kind: "radio" | "checkbox" | "number" | "select" | "textarea", choices | rows | …}
//             (each question type's widget_spec in helpers/quiz/types/)
//   answer    the student's answer, in the type's neutral form; Python writes it on restore and
//             reset, the page sends it as the student types or picks (below)
//   feedback  HTML made in Python, every text from a lesson file already escaped
//   outcome   "", "correct", "wrong", "saved" or "incomplete" (a class on the root, for colour)
//   value     a panel's HTML (made and escaped in Python)
// The page sends messages, in order: {event: "answer", answer} on every change, {event: "check",
// answer} and {event: "reset"}. (Not a synced trait update from the page: ipywidgets holds those
// back while the kernel is busy, so a Check could overtake the last change.) Python grades, saves
// and answers by setting feedback (and answer on reset). Choice texts and labels are set as text,
// never HTML.

let counter = 0;

function make(tag, attrs = {}, text = undefined) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// --- one builder per kind of control: returns {node, read(), write(answer)} ----------------------

// One labelled native input per choice, all sharing one name: radio buttons or checkboxes.
function optionInputs(type, spec, uid, changed) {
  const list = make("div", { class: "quiz-options", role: "presentation" });
  const inputs = spec.choices.map((choice, n) => {
    const id = `${uid}-o${n}`;
    const row = make("div", { class: "quiz-option" });
    const input = make("input", { type, id, name: `${uid}-answer`, value: String(n),
                                  class: "quiz-input" });
    input.addEventListener("change", changed);
    row.append(input, make("label", { for: id }, choice.label));
    list.append(row);
    return input;
  });
  return { list, inputs };
}

function radios(spec, uid, changed) {
  const { list, inputs } = optionInputs("radio", spec, uid, changed);
  return {
    node: list,
    read: () => {
      const n = inputs.findIndex((input) => input.checked);
      return n < 0 ? null : spec.choices[n].value;
    },
    write: (answer) => inputs.forEach((input, n) => {
      input.checked = answer !== null && answer !== undefined && same(spec.choices[n].value, answer);
    }),
  };
}

function checkboxes(spec, uid, changed) {
  const { list, inputs } = optionInputs("checkbox", spec, uid, changed);
  return {
    node: list,
    read: () => spec.choices.filter((_, n) => inputs[n].checked).map((c) => c.value),
    write: (answer) => {
      const ticked = Array.isArray(answer) ? answer : [];
      inputs.forEach((input, n) => { input.checked = ticked.some((v) => same(v, spec.choices[n].value)); });
    },
  };
}

function numberBox(spec, uid, changed, check) {
  const row = make("div", { class: "quiz-answer-row" });
  const id = `${uid}-answer`;
  const input = make("input", { type: "text", id, name: id, inputmode: "decimal",
                                autocomplete: "off", spellcheck: "false", class: "quiz-input" });
  input.addEventListener("input", changed);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); check(); }
  });
  row.append(make("label", { for: id }, spec.label), input);
  if (spec.unit) row.append(make("span", { class: "quiz-unit" }, spec.unit));
  return {
    node: row,
    read: () => input.value,
    write: (answer) => { input.value = answer === null || answer === undefined ? "" : String(answer); },
  };
}

function selects(spec, uid, changed) {
  const list = make("div", { class: "quiz-selects" });
  const boxes = spec.rows.map((row, r) => {
    const id = `${uid}-s${r}`;
    const line = make("div", { class: "quiz-select-row" });
    const select = make("select", { id, name: id, class: "quiz-input" });
    select.append(make("option", { value: "" }, "— choose —"));
    row.options.forEach((option, n) => select.append(make("option", { value: String(n) }, option.label)));
    select.addEventListener("change", changed);
    line.append(make("label", { for: id }, row.label), select);
    list.append(line);
    return select;
  });
  return {
    node: list,
    read: () => Object.fromEntries(spec.rows.map((row, r) => {
      const v = boxes[r].value;
      return [row.key, v === "" ? null : row.options[Number(v)].value];
    })),
    write: (answer) => spec.rows.forEach((row, r) => {
      const wanted = answer ? answer[row.key] : null;
      const n = row.options.findIndex((o) => wanted !== null && wanted !== undefined && same(o.value, wanted));
      boxes[r].value = n < 0 ? "" : String(n);
    }),
  };
}

function textBox(spec, uid, changed) {
  const block = make("div", { class: "quiz-answer-block" });
  const id = `${uid}-answer`;
  const area = make("textarea", { id, name: id, rows: 4, class: "quiz-input" });
  area.addEventListener("input", changed);
  block.append(make("label", { for: id }, spec.label), area);
  return {
    node: block,
    read: () => area.value,
    write: (answer) => { area.value = answer === null || answer === undefined ? "" : String(answer); },
  };
}

const CONTROLS = { radio: radios, checkbox: checkboxes, number: numberBox, select: selects,
                   textarea: textBox };

// --- keys stay inside: JupyterLab's notebook shortcuts never see them ----------------------------

function keepKeys(root) {
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const stop = (event) => event.stopPropagation();
  root.addEventListener("keydown", stop);
  return () => root.removeEventListener("keydown", stop);
}

// --- the panel (a quiz's header and score line) --------------------------------------------------

function renderPanel(model, el) {
  const box = make("div", { class: "quiz-panel" });
  const show = () => { box.innerHTML = model.get("value"); };
  show();
  model.on("change:value", show);
  el.append(box);
  return () => model.off("change:value", show);
}

// --- a question ----------------------------------------------------------------------------------

function renderQuestion(model, el) {
  const spec = model.get("spec");
  counter += 1;
  const uid = `quiz-${spec.id}-${counter}`;
  const root = make("div", { class: "quiz-widget" });
  const fieldset = make("fieldset", { class: "quiz-fieldset" });
  const legend = make("legend", { class: "quiz-legend" });
  legend.innerHTML = spec.legend_html;   // made in Python, escaped there
  fieldset.append(legend);
  if (spec.intro) fieldset.append(make("p", { class: "quiz-instructions" }, spec.intro));

  const send = () => {
    const answer = control.read();
    model.set("answer", answer);   // locally, so that Python's reset is seen as a change
    model.send({ event: "answer", answer });
  };
  const check = () => {
    const answer = control.read();
    model.set("answer", answer);
    model.send({ event: "check", answer });
  };
  const build = CONTROLS[spec.kind];
  const control = build(spec, uid, send, check);
  fieldset.append(control.node);

  const buttons = make("div", { class: "quiz-buttons" });
  const checkButton = make("button", { type: "button", class: "quiz-check quiz-button-primary" }, spec.verb);
  const resetButton = make("button", { type: "button", class: "quiz-reset",
                                       "aria-describedby": `${uid}-reset-note` }, "Reset");
  const note = make("span", { id: `${uid}-reset-note`, class: "quiz-hidden" },
                    "clears your answer and the feedback; saved answers stay");
  checkButton.addEventListener("click", check);
  resetButton.addEventListener("click", () => model.send({ event: "reset" }));
  buttons.append(checkButton, resetButton, note);

  // The live region is in the page before any feedback, so a screen reader announces changes.
  const feedback = make("div", { class: "quiz-feedback", role: "status", "aria-live": "polite" });

  root.append(fieldset, buttons, feedback);
  el.append(root);

  const showAnswer = () => {
    const answer = model.get("answer");
    if (!same(control.read(), answer)) control.write(answer);
  };
  const showFeedback = () => { feedback.innerHTML = model.get("feedback"); };
  const showOutcome = () => {
    root.dataset.outcome = model.get("outcome") || "";
  };
  control.write(model.get("answer"));
  showFeedback();
  showOutcome();
  model.on("change:answer", showAnswer);
  model.on("change:feedback", showFeedback);
  model.on("change:outcome", showOutcome);
  const release = keepKeys(el);
  return () => {
    model.off("change:answer", showAnswer);
    model.off("change:feedback", showFeedback);
    model.off("change:outcome", showOutcome);
    release();
  };
}

function render({ model, el }) {
  el.classList.add("quiz-root");
  return model.get("spec").kind === "panel" ? renderPanel(model, el) : renderQuestion(model, el);
}

export default { render };
