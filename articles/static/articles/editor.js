/* MiitWiki editor: live, sanitized preview and image upload for every markdown field.
 *
 * Events are delegated from the document, so inline rows added with Django's
 * "Add another" work without set-up; `formset:added` only fills their preview.
 * The preview request sends the texts before this field (lead, earlier
 * sections) so that citations are numbered as they will be on the page, and
 * the level of the heading it sits under, so that its own headings are too.
 */
(function () {
  "use strict";
  var LATENCY = 400;
  var timers = new WeakMap();
  // Messages in the admin's language, from Django's JavaScript catalogue
  // (admin:jsi18n, loaded by the admin's forms; locale/*/djangojs.po); English
  // where the page has none.
  var gettext = window.gettext || function (text) { return text; };
  function interpolate(text, names) {
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return names[name]; });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function isLive(textarea) {
    if (textarea.name && textarea.name.indexOf("__prefix__") !== -1) return false;
    var row = textarea.closest(".inline-related");
    var remove = row && row.querySelector("input[name$='-DELETE']");
    return !(remove && remove.checked);
  }

  function textsBefore(editor) {
    var all = document.querySelectorAll("textarea.markdownx-editor, textarea.preview-context");
    var before = [];
    for (var i = 0; i < all.length && all[i] !== editor; i++) {
      if (isLive(all[i])) before.push(all[i].value);
    }
    return before;
  }

  // The title (1) for the lead, else the level of the section the field belongs to.
  function levelField(editor) {
    var scope = editor.closest(".inline-related") || editor.form;
    return scope && scope.querySelector("[name$='level']");
  }

  function headingLevel(editor) {
    if (editor.name === "lead") return "1";
    var field = levelField(editor);
    return field ? field.value : "";
  }

  function preview(editor) {
    var box = editor.closest(".markdownx");
    var pane = box && box.querySelector(".markdownx-preview");
    if (!pane || !isLive(editor)) return;
    var data = new FormData();
    data.append("content", editor.value);
    textsBefore(editor).forEach(function (text) { data.append("preceding", text); });
    data.append("level", headingLevel(editor));
    pane.setAttribute("aria-busy", "true");
    fetch(editor.getAttribute("data-markdownx-urls-path"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken()}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error(interpolate(gettext("the server answered %(status)s"), {status: response.status}));
      }
      return response.text();
    }).then(function (html) {
      pane.innerHTML = html;  // sanitized by the server's renderer
      pane.removeAttribute("data-error");
      box.dispatchEvent(new CustomEvent("markdownx.update", {bubbles: true}));
    }).catch(function (error) {
      pane.setAttribute("data-error", "");
      pane.textContent = interpolate(
        gettext("Preview unavailable: %(reason)s. Your text is not affected."), {reason: error.message});
    }).finally(function () { pane.removeAttribute("aria-busy"); });
  }

  function schedule(editor) {
    clearTimeout(timers.get(editor));
    timers.set(editor, setTimeout(function () { preview(editor); }, LATENCY));
  }

  function insertAtCursor(editor, text) {
    var start = editor.selectionStart, end = editor.selectionEnd;
    editor.value = editor.value.slice(0, start) + text + editor.value.slice(end);
    editor.selectionStart = editor.selectionEnd = start + text.length;
    schedule(editor);
  }

  function showStatus(editor, message) {
    var box = editor.closest(".markdownx");
    var status = box.nextElementSibling;
    if (!status || !status.classList.contains("editor-status")) {
      status = document.createElement("p");
      status.className = "editor-status";
      status.setAttribute("role", "status");
      box.parentNode.insertBefore(status, box.nextSibling);
    }
    status.textContent = message;
  }

  function upload(editor, file) {
    var data = new FormData();
    data.append("image", file);
    var uploading = interpolate(gettext("Uploading %(name)s…"), {name: file.name});
    var note = "![" + uploading + "]()";
    insertAtCursor(editor, note);
    showStatus(editor, uploading);
    fetch(editor.getAttribute("data-markdownx-upload-urls-path"), {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest"}
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (result) {
      editor.value = editor.value.replace(note, result.ok ? result.body.image_code : "");
      showStatus(editor, result.ok
        ? interpolate(gettext("Uploaded %(name)s."), {name: file.name})
        : interpolate(gettext("Upload refused: %(reasons)s"), {reasons: Object.values(result.body).join(" ")}));
      schedule(editor);
    }).catch(function () {
      editor.value = editor.value.replace(note, "");
      showStatus(editor, interpolate(
        gettext("Upload of %(name)s failed; nothing was inserted."), {name: file.name}));
    });
  }

  function filesOf(event) {
    var transfer = event.dataTransfer || event.clipboardData;
    return transfer && transfer.files ? Array.prototype.slice.call(transfer.files) : [];
  }

  function onFiles(event) {
    var editor = event.target;
    if (!editor.matches || !editor.matches("textarea.markdownx-editor")) return;
    var files = filesOf(event);
    if (!files.length) return;
    event.preventDefault();
    files.forEach(function (file) { upload(editor, file); });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches("textarea.markdownx-editor")) schedule(event.target);
  });
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[name$='level']")) return;
    var scope = event.target.closest(".inline-related") || event.target.form;
    var editor = scope && scope.querySelector("textarea.markdownx-editor");
    if (editor && levelField(editor) === event.target) schedule(editor);
  });
  document.addEventListener("drop", onFiles);
  document.addEventListener("paste", onFiles);
  document.addEventListener("dragover", function (event) {
    if (event.target.matches && event.target.matches("textarea.markdownx-editor")) event.preventDefault();
  });
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("textarea.markdownx-editor").forEach(preview);
  });
  // Saving a long article or a revert takes a moment: show that it is working.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.method.toLowerCase() !== "post") return;
    form.classList.add("is-working");
    var note = form.querySelector(".working-note") || document.createElement("p");
    note.className = "working-note";
    note.setAttribute("role", "status");
    note.textContent = gettext("Saving… this can take a few seconds for a long article.");
    (form.querySelector(".submit-row") || form).appendChild(note);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea.markdownx-editor").forEach(preview);
  });
})();
