/* bangfu web: keyboard shortcuts, the member formset, confirmations, printing. No inline scripts (CSP). */
(function () {
  "use strict";

  function focusSearch(event) {
    var search = document.querySelector("input[type=search]");
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement && document.activeElement.tagName);
    if (search && event.key === "/" && !typing) {
      event.preventDefault();
      search.focus();
    }
  }

  function renumberMembers(container) {
    container.querySelectorAll("[data-member-number]").forEach(function (el, i) {
      el.textContent = String(i + 1);
    });
  }

  function addMember(button) {
    var form = button.closest("form");
    var prefix = form.getAttribute("data-formset-prefix");
    var total = form.querySelector("#id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById("member-template");
    var container = document.getElementById("members");
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    container.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    renumberMembers(container);
    var first = container.lastElementChild.querySelector("input, select");
    if (first) { first.focus(); }
  }

  // Alt+letter shortcuts (the page's accesskey attributes), also where the browser does not honour them
  // (headless, some layouts). When the browser has already handled the access key, it marks the keydown
  // as handled and nothing happens twice.
  function accessKey(event) {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) { return; }
    var code = event.code || "";
    if (code.indexOf("Key") !== 0) { return; }
    var target = document.querySelector('[accesskey="' + code.slice(3).toLowerCase() + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && target.type !== "submit") {
      target.focus();
    } else {
      target.click();
    }
  }

  document.addEventListener("keydown", focusSearch);
  document.addEventListener("keydown", accessKey);

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-member]");
    if (add) { event.preventDefault(); addMember(add); return; }
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) { event.target.form.submit(); }
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // A table wider than a phone scrolls inside its own region, which the keyboard can reach (WCAG 2.1.1, 1.4.10):
  // every table not already in a .table-responsive region gets one, named by its caption or the heading before it.
  function tableLabel(table) {
    var caption = table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    if (table.getAttribute("aria-label")) { return table.getAttribute("aria-label"); }
    var node = table;
    while (node && node !== document.body) {
      var before = node.previousElementSibling;
      while (before) {
        if (/^H[1-6]$/.test(before.tagName)) { return before.textContent.trim(); }
        var inner = before.querySelectorAll("h1, h2, h3, h4, h5, h6");
        if (inner.length) { return inner[inner.length - 1].textContent.trim(); }
        before = before.previousElementSibling;
      }
      node = node.parentElement;
    }
    return "表格";
  }

  function scrollableTables(root) {
    root.querySelectorAll("table").forEach(function (table) {
      if (table.closest(".table-responsive") || table.classList.contains("print-table")) { return; }
      var region = document.createElement("div");
      region.className = "table-responsive";
      region.setAttribute("tabindex", "0");
      region.setAttribute("role", "region");
      region.setAttribute("aria-label", tableLabel(table));
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) { scrollableTables(event.target); });

  document.addEventListener("DOMContentLoaded", function () {
    scrollableTables(document);
    var summary = document.querySelector("[data-focus]");
    if (summary) {
      var invalid = document.querySelector(".is-invalid");
      (invalid || summary).focus();
    }
    var members = document.getElementById("members");
    if (members) { renumberMembers(members); }
    // A background job's progress (a round's list being prepared): the page looks again after a few seconds.
    var waiting = document.querySelector("[data-reload-after]");
    if (waiting) {
      setTimeout(function () { window.location.reload(); }, 1000 * Number(waiting.dataset.reloadAfter));
    }
  });
})();
