/* The /data page's upload: the file goes to the server as it is (streamed, with a progress
   bar), not through a Dash callback (which would hold it whole, base64, in memory twice).
   When the import is done the page moves to the batch's address: /data?kind=…&batch=N. */
(function () {
  "use strict";

  function slotReady() {
    var slot = document.getElementById("data-file-slot");
    if (!slot || slot.querySelector("input[type=file]")) { return; }
    var input = document.createElement("input");
    input.type = "file";
    input.id = "data-file";
    input.className = "dt-file";
    input.accept = slot.getAttribute("data-accept") || "";
    input.setAttribute("aria-label", "选择要导入的文件");
    // The browser's own button and words ("Choose File", "No file chosen") follow its UI
    // language: a label of ours stands in for them, in Chinese, and names the file chosen.
    var pick = document.createElement("label");
    pick.htmlFor = "data-file";
    pick.className = "button button-quiet dt-file-pick";
    pick.textContent = "选择文件";
    var chosen = document.createElement("span");
    chosen.className = "dt-file-name";
    chosen.id = "data-file-name";
    chosen.textContent = "未选择文件";
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      chosen.textContent = file ? file.name + "（" + megabytes(file.size) + "）" : "未选择文件";
    });
    slot.appendChild(input);
    slot.appendChild(pick);
    slot.appendChild(chosen);
  }

  new MutationObserver(slotReady).observe(document.documentElement,
                                          { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", slotReady);

  function show(text, percent) {
    var label = document.getElementById("data-progress-text");
    var bar = document.getElementById("data-progress");
    if (label) { label.textContent = text; }
    if (bar && percent !== undefined) {
      if (percent === null) { bar.removeAttribute("value"); } else { bar.value = percent; }
    }
  }

  function go(href) {
    window.history.pushState({}, "", href);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  }

  function megabytes(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#data-upload-button");
    if (!button || button.disabled) { return; }
    event.preventDefault();
    var kind = button.getAttribute("data-kind");
    var limit = Number(button.getAttribute("data-max-bytes"));
    var input = document.getElementById("data-file");
    if (!input || !input.files || !input.files.length) { show("请先选择文件。", 0); return; }
    var file = input.files[0];
    if (file.size > limit) {
      show("文件 " + megabytes(file.size) + "，超过上限 " + megabytes(limit) +
           "：请拆分后分批导入。", 0);
      return;
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", "/data/upload?kind=" + encodeURIComponent(kind));
    xhr.setRequestHeader("X-Requested-With", "cockpit-upload");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round(e.loaded / e.total * 100);
      show("正在上传 " + megabytes(e.loaded) + " / " + megabytes(e.total) + "（" + percent + "%）",
           percent);
    };
    xhr.upload.onload = function () { show("上传完成，正在逐行校验并导入……", null); };
    xhr.onload = function () {
      button.disabled = false;
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (answer && answer.batch) {
        show(answer.message || "", 100);
        go("/data?kind=" + encodeURIComponent(kind) + "&batch=" + answer.batch);
      } else {
        show((answer && answer.message) || ("导入失败（HTTP " + xhr.status + "），请稍后重试。"), 0);
      }
    };
    xhr.onerror = function () {
      button.disabled = false;
      show("连接中断，文件未导入。请检查网络后重试。", 0);
    };
    button.disabled = true;
    show("开始上传……", 0);
    xhr.send(file);
  });
}());
