// Checks the figures of the quarterly report form (templates/commitments/report_form.html)
// as they are typed, as the server checks them when it refuses a save (figure_check and
// the validation rules in commitments/services/figures.py) and with the same messages and
// markup, so that a mistake shows next to its field before any round trip. The server
// stays the authority: this only spares a reload.
//
// A figure is empty or a whole number of 0 or more (digits alone, no thousands
// separator); a flag (data-flag) is 0 or 1; a figure must not exceed the fields named in
// its data-not-above (the validation rules, e.g. dossiers resolved on time <= dossiers
// resolved), an empty bound counting as 0 as on the server. A change to either field of
// a rule checks both again. A save or submit with a mistake left is not sent: the first
// marked field gets the focus and the form's general message shows.
//
// The messages come translated in the form's data-msg-* attributes (FORM_MESSAGES in
// commitments/services/figures.py, the ones the server shows). A file rather than
// an inline script: the Content-Security-Policy allows only the site's own scripts.
(function () {
  "use strict";

  var WHOLE = /^[-+]?\d+$/; // what the server reads as a whole number (figures.whole)
  var GROUPED = /^\+?\d{1,3}([.,\s\u00a0\u202f]\d{3})+$/; // 1.234, 1,234, 1 234
  var SENDS_FIGURES = ["save", "submit"]; // the other actions do not read the figures

  function init(form) {
    var messages = form.dataset;
    var inputs = Array.prototype.filter.call(
      form.querySelectorAll("input[data-name]"),
      function (input) {
        return !input.disabled;
      }
    );
    if (!inputs.length) {
      return;
    }
    var byName = {};
    var boundOf = {}; // field -> the fields that must not exceed it
    inputs.forEach(function (input) {
      byName[input.name] = input;
    });
    inputs.forEach(function (input) {
      notAbove(input).forEach(function (bound) {
        (boundOf[bound] = boundOf[bound] || []).push(input);
      });
    });
    var general = null; // the general message this script added, if any

    function notAbove(input) {
      return (input.dataset.notAbove || "").split(" ").filter(function (name) {
        return name && byName[name];
      });
    }

    // The value as a BigInt, null when empty; a message when it is not a valid figure.
    function read(input) {
      var text = input.value.trim();
      if (text === "") {
        return { value: null };
      }
      if (!WHOLE.test(text)) {
        return { error: GROUPED.test(text) ? messages.msgSeparator : messages.msgWhole };
      }
      var value = BigInt(text);
      if (value < 0n) {
        return { error: messages.msgWhole };
      }
      if (input.hasAttribute("data-flag") && value !== 0n && value !== 1n) {
        return { error: messages.msgFlag };
      }
      return { value: value };
    }

    function fill(template, values) {
      return template.replace(/%\((\w+)\)s/g, function (whole, key) {
        return key in values ? values[key] : whole;
      });
    }

    // The field's own mistake, else the first rule it breaks; "" when it is right.
    function problem(input) {
      var own = read(input);
      if (own.error) {
        return own.error;
      }
      if (own.value === null) {
        return "";
      }
      var broken = "";
      notAbove(input).some(function (name) {
        var bound = byName[name];
        var high = read(bound);
        if (high.error) {
          return false; // the bound is refused first, as on the server
        }
        var highValue = high.value === null ? 0n : high.value;
        if (own.value <= highValue) {
          return false;
        }
        broken = fill(messages.msgAbove, {
          low: input.dataset.name,
          low_value: String(own.value),
          high: bound.dataset.name,
          high_value: String(highValue),
        });
        return true;
      });
      return broken;
    }

    // The server's markup: td.invalid, aria-invalid and aria-describedby on the input,
    // div.error#err_<field> after it.
    function show(input, message) {
      var cell = input.closest("td");
      var id = "err_" + input.name;
      var box = document.getElementById(id);
      if (message) {
        if (!box) {
          box = document.createElement("div");
          box.className = "error";
          box.id = id;
          input.insertAdjacentElement("afterend", box);
        }
        box.textContent = message;
        cell.classList.add("invalid");
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", id);
      } else {
        if (box) {
          box.remove();
        }
        cell.classList.remove("invalid");
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }

    function check(input) {
      var message = problem(input);
      show(input, message);
      return !message;
    }

    function checkWithPairs(input) {
      check(input);
      (boundOf[input.name] || []).forEach(check);
      if (general && !inputs.some(isMarked)) {
        general.remove();
        general = null;
      }
    }

    function isMarked(input) {
      return input.getAttribute("aria-invalid") === "true";
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        checkWithPairs(input);
      });
    });

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && SENDS_FIGURES.indexOf(submitter.value) === -1) {
        return;
      }
      var wrong = inputs.filter(function (input) {
        return !check(input);
      });
      if (!wrong.length) {
        return;
      }
      event.preventDefault();
      var shown = form.querySelector(":scope > p.error[role=alert]");
      if (shown) {
        shown.textContent = messages.msgGeneral;
      } else {
        general = document.createElement("p");
        general.className = "error";
        general.setAttribute("role", "alert");
        general.textContent = messages.msgGeneral;
        // Above the figures (and the results beside them), where the server puts it.
        (form.querySelector(":scope > .report-grid") || form.querySelector("table"))
          .insertAdjacentElement("beforebegin", general);
      }
      wrong[0].focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-check-figures]").forEach(init);
  });
})();
