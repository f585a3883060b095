/* Wide tables scroll inside themselves on narrow screens (terang.css). A table or wrapper that
   really overflows gets a tab stop, and the wrapper the table's caption as its name, so keyboard
   users can scroll it too (WCAG 2.1.1); one that fits gets no useless tab stop. Without
   JavaScript the tables still scroll by touch and mouse. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table, main .table-scroll").forEach(function (el) {
      var scrolls = getComputedStyle(el).overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("data-scroll-stop", "");
        var caption = el.tagName === "TABLE" ? null : el.querySelector("caption");
        if (caption && !el.hasAttribute("aria-label")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", caption.textContent.trim().replace(/\s+/g, " "));
        }
      } else if (!scrolls && el.hasAttribute("data-scroll-stop")) {
        el.removeAttribute("tabindex");
        el.removeAttribute("data-scroll-stop");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mark);
  } else {
    mark();
  }
  window.addEventListener("resize", mark);
})();
