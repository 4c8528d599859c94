// The review page: shows one suggestion at a time and sends the answer typed for it.
// Everything from the wiki is set with textContent (never as HTML). The token travels in a
// header; no cookie is used. Keys: y, n, s, 1-9 (reasons), Enter (send), i (enlarge), Esc.
"use strict";

(function () {
  const token = document.querySelector('meta[name="gatebot-token"]').content;
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 4000;
  let current = null;      // the suggestion shown (its JSON), or null
  let choice = null;       // "yes" | "no" | "skip" | null
  let sending = false;
  let stopped = false;

  function api(path, body) {
    const options = { headers: { "X-Gatebot-Token": token }, cache: "no-store" };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then((response) =>
      response.json().then((data) => ({ status: response.status, data: data })));
  }

  function text(id, value) { $(id).textContent = value || ""; }

  function renderQuota(quota) {
    if (!quota || !quota.length) { text("quota", ""); return; }
    const parts = quota.map((q) => q.text + (quota.length > 1 ? " (" + q.label + ")" : ""));
    text("quota", parts.join(" · ") + " · your day runs in " + quota[0].zone);
  }

  function renderReasons(reasons) {
    const box = $("reasons");
    box.replaceChildren();
    reasons.forEach((reason) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "checkbox";
      input.value = reason.code;
      input.dataset.key = reason.key;
      input.setAttribute("aria-keyshortcuts", reason.key);
      const key = document.createElement("kbd");
      key.textContent = reason.key;
      label.append(input, " ", key, " ", reason.label);
      box.append(label);
    });
  }

  function renderSuggestion(s) {
    current = s;
    $("card").hidden = false;
    $("decision").hidden = false;
    text("kind", s.task_label === "section images" ? "Image for a section" : "Image for the article");
    const link = $("title-link");
    link.textContent = s.title;
    link.href = s.url;
    text("lead", s.lead);
    $("section").hidden = !s.section;
    text("where", s.section ? "in the section “" + s.section.title + "”" : "in the article");
    if (s.section) { text("section-title", s.section.title); text("section-text", s.section.text); }
    const image = s.image;
    const thumb = $("thumb");
    $("enlarge").hidden = !image.thumb;
    $("no-image").hidden = Boolean(image.thumb);
    if (image.thumb) {
      thumb.src = image.thumb;
      thumb.alt = "Suggested image: " + (image.description || image.name);
    } else {
      thumb.removeAttribute("src");
    }
    text("image-name", image.name);
    text("description", image.description || "(no description)");
    text("author", [image.author, image.license].filter(Boolean).join(" · ") || "(not given)");
    text("reason", image.reason);
    text("source", image.source);
    const filePage = $("file-page");
    filePage.textContent = image.file_page ? image.name : "";
    if (image.file_page) { filePage.href = image.file_page; } else { filePage.removeAttribute("href"); }
    text("caption-rule", "At least " + s.caption_minimum + " characters.");
    $("caption").value = "";
    $("caption").minLength = s.caption_minimum;
    updateCount();
    renderReasons(s.reasons);
    choose(null);
    $("title").focus();
  }

  function renderStop(stop, ended) {
    stopped = true;
    current = null;
    $("card").hidden = true;
    $("decision").hidden = true;
    $("stopped").hidden = false;
    text("stopped-heading", stop.reason === "daily-limit" ? "Daily limit reached" : "No more suggestions");
    const box = $("stopped-text");
    box.replaceChildren();
    stop.messages.concat(["Nothing more will be sent from this page."]).forEach((message) => {
      const p = document.createElement("p");
      p.textContent = message;
      box.append(p);
    });
    if (ended) { addEnded(); }
    $("stopped-heading").focus();
  }

  function addEnded() {
    if ($("ended")) { return; }
    const p = document.createElement("p");
    p.id = "ended";
    p.textContent = "The session has ended; gatebot printed its report in the terminal. You can close this tab.";
    $("stopped-text").append(p);
  }

  function render(state) {
    renderQuota(state.quota);
    if (state.stop) { if (!stopped) { renderStop(state.stop, state.ended); } else if (state.ended) { addEnded(); } return; }
    if (state.suggestion && (!current || current.id !== state.suggestion.id)) {
      renderSuggestion(state.suggestion);
    }
  }

  function choose(next) {
    choice = next;
    ["yes", "no", "skip"].forEach((name) => {
      $("choose-" + name).setAttribute("aria-pressed", String(choice === name));
      $(name + "-panel").hidden = choice !== name;
    });
    $("send").disabled = choice === null || sending;
    text("error", "");
    if (choice === "yes") { $("caption").focus(); }
    if (choice === "no") { const first = $("reasons").querySelector("input"); if (first) { first.focus(); } }
    if (choice === "skip") { $("send").focus(); }
  }

  function updateCount() {
    if (!current) { return; }
    const length = $("caption").value.trim().length;
    const need = current.caption_minimum;
    text("caption-count", length >= need ? "(" + length + ", enough)" : "(" + length + " of " + need + ")");
  }

  function answerBody() {
    const body = { id: current.id, answer: choice };
    if (choice === "yes") { body.caption = $("caption").value; }
    if (choice === "no") {
      body.reasons = Array.from($("reasons").querySelectorAll("input:checked")).map((i) => i.value);
    }
    return body;
  }

  function localProblem() {
    if (choice === "yes" && $("caption").value.trim().length < current.caption_minimum) {
      return ["caption", "The caption needs at least " + current.caption_minimum + " characters."];
    }
    if (choice === "no" && !$("reasons").querySelector("input:checked")) {
      return ["reasons", "Tick at least one reason (press its digit)."];
    }
    return null;
  }

  function showProblem(field, message) {
    text("error", message);
    if (field === "caption") { $("caption").focus(); }
    else if (field === "reasons") { const first = $("reasons").querySelector("input"); if (first) { first.focus(); } }
  }

  function send() {
    if (!current || choice === null || sending || stopped) { return; }
    const problem = localProblem();
    if (problem) { showProblem(problem[0], problem[1]); return; }
    sending = true;
    $("send").disabled = true;
    const title = current.title;
    text("status", "Sending your answer for " + title + "…");
    api("/api/answer", answerBody()).then((reply) => {
      sending = false;
      const data = reply.data;
      if (reply.status === 422) {
        text("status", "");
        showProblem(data.field, data.error);
        $("send").disabled = false;
        return;
      }
      text("status", data.message || "");
      if (data.error) { text("error", data.error); }
      if (data.state) { render(data.state); }
    }).catch(() => {
      sending = false;
      text("status", "");
      text("error", "gatebot did not answer; the review server may have stopped. Check the terminal.");
    });
  }

  function toggleReason(key) {
    const box = $("reasons").querySelector('input[data-key="' + key + '"]');
    if (!box) { return false; }
    if (choice !== "no") { choose("no"); }
    box.checked = !box.checked;
    box.focus();
    return true;
  }

  function enlarge() {
    if (!current || !current.image.full) { return; }
    const full = $("full");
    full.src = current.image.full;
    full.alt = "Suggested image, enlarged: " + (current.image.description || current.image.name);
    text("viewer-name", current.image.name);
    $("viewer").showModal();
    $("close-viewer").focus();
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || stopped || !current) { return; }
    if ($("viewer").open) { return; }            // the dialog closes itself on Esc
    const typing = event.target === $("caption");
    if (event.key === "Escape") {
      if (choice !== null) { choose(null); $("choose-yes").focus(); event.preventDefault(); }
      return;
    }
    if (event.key === "Enter") {
      const onButton = event.target.tagName === "BUTTON" && event.target.id !== "send";
      if (!onButton) { event.preventDefault(); send(); }
      return;
    }
    if (typing) { return; }
    const key = event.key.toLowerCase();
    if (key === "y" || key === "n" || key === "s") {
      event.preventDefault();
      choose({ y: "yes", n: "no", s: "skip" }[key]);
    } else if (/^[1-9]$/.test(key)) {
      if (toggleReason(key)) { event.preventDefault(); }
    } else if (key === "i") {
      event.preventDefault();
      enlarge();
    }
  });

  ["yes", "no", "skip"].forEach((name) => {
    $("choose-" + name).addEventListener("click", () => choose(name));
  });
  $("caption").addEventListener("input", updateCount);
  $("decision").addEventListener("submit", (event) => { event.preventDefault(); send(); });
  $("enlarge").addEventListener("click", enlarge);
  $("close-viewer").addEventListener("click", () => $("viewer").close());

  function poll() {
    api("/api/state").then((reply) => {
      if (reply.status === 200) { render(reply.data); }
      if (!(reply.data && reply.data.ended)) { setTimeout(poll, POLL_MS); }
    }).catch(() => {
      if (stopped) { addEnded(); } else { text("error", "gatebot has stopped; this page can send nothing more. You can close this tab."); stopped = true; $("decision").hidden = true; }
    });
  }
  poll();
}());
