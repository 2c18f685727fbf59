// The "Print" button of the printable report. A file rather than an inline handler,
// so the page keeps working under a Content-Security-Policy without 'unsafe-inline'.
// Without JavaScript the button stays hidden and the page says to press Ctrl+P.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
});
