// Upload on the indicator page: drag and drop several files, one request per file with a
// progress bar; the server answers each with its verdict (an HTML fragment it rendered).
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("upload-form");
    if (!form) { return; }
    var drop = document.getElementById("drop");
    var input = document.getElementById("files");
    var bar = document.getElementById("progress");
    var results = document.getElementById("results");
    var maxBytes = parseInt(form.getAttribute("data-max"), 10) * 1024 * 1024;

    function note(text) {
      var p = document.createElement("p");
      p.className = "error";
      p.textContent = text;
      results.appendChild(p);
    }

    function sendOne(file, done) {
      if (file.size > maxBytes) {
        note("✗ " + file.name + "：文件太大（上限 " + form.getAttribute("data-max") + " MB）。");
        done();
        return;
      }
      var data = new FormData(form);
      data.delete("files");
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
      };
      xhr.onload = function () {
        if (xhr.status === 200 || xhr.status === 400) {
          results.insertAdjacentHTML("beforeend", xhr.responseText);
        } else if (xhr.status === 403) {
          note("✗ " + file.name + "：没有上传权限，或登录已过期，请刷新页面后重试。");
        } else {
          note("✗ " + file.name + "：上传失败（" + xhr.status + "）。");
        }
        done();
      };
      xhr.onerror = function () { note("✗ " + file.name + "：网络中断，未上传。"); done(); };
      bar.value = 0;
      xhr.send(data);
    }

    function sendAll(files) {
      var list = Array.prototype.slice.call(files);
      if (!list.length) { return; }
      bar.hidden = false;
      results.setAttribute("aria-busy", "true");
      (function next(i) {
        if (i >= list.length) {
          bar.hidden = true;
          results.removeAttribute("aria-busy");
          results.setAttribute("data-done", String(list.length));
          input.value = "";
          return;
        }
        sendOne(list[i], function () { next(i + 1); });
      })(0);
    }

    form.addEventListener("submit", function (e) { e.preventDefault(); sendAll(input.files); });
    input.addEventListener("change", function () { sendAll(input.files); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { sendAll(e.dataTransfer.files); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else { setup(); }
})();
