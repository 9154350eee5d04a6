/* Progressive enhancement: a form marked data-autosubmit reloads as soon as its select changes. */
document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
  form.querySelectorAll(".js-hide").forEach(function (el) { el.hidden = true; });
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () { form.submit(); });
  });
});
