// The show-password control: a button after each password field that shows or hides what was
// typed. Without this script the field works as any password field; nothing else needs it.
"use strict";
(function () {
  var texts = document.documentElement.dataset;
  var fields = document.querySelectorAll('input[type="password"]');
  Array.prototype.forEach.call(fields, function (field) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "show-password";
    button.setAttribute("aria-controls", field.id);
    var show = function (shown) {
      field.type = shown ? "text" : "password";
      button.textContent = shown ? texts.hidePassword : texts.showPassword;
    };
    show(false);
    button.addEventListener("click", function () {
      show(field.type === "password");
      field.focus();
    });
    // Never sent (or remembered by the browser) as plain text.
    if (field.form) {
      field.form.addEventListener("submit", function () {
        show(false);
      });
    }
    field.insertAdjacentElement("afterend", button);
  });
})();
