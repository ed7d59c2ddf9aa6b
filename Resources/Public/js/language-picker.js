// Typeahead for the second and later language of a comma-separated languages field: the list's options are offered
// after what is typed already ("Tigrinya (ti), Ara" suggests "Tigrinya (ti), Arabisch (ar)"). Without this script the
// list suggests the first language, and the field takes names or codes separated by commas all the same.
(function () {
  'use strict';
  var inputs = document.querySelectorAll('input[data-languages][list]');
  if (!inputs.length) { return; }
  var list = document.getElementById(inputs[0].getAttribute('list'));
  if (!list) { return; }
  var options = Array.prototype.map.call(list.options, function (o) {
    return { value: o.value, label: o.getAttribute('label') || '' };
  });
  var shownPrefix = '';
  function refresh(event) {
    var text = event.target.value;
    var cut = text.lastIndexOf(',');
    var prefix = cut < 0 ? '' : text.slice(0, cut + 1).replace(/\s*$/, ' ');
    if (prefix === shownPrefix) { return; }
    shownPrefix = prefix;
    var fragment = document.createDocumentFragment();
    options.forEach(function (o) {
      var option = document.createElement('option');
      option.value = prefix + o.value;
      if (o.label) { option.setAttribute('label', o.label); }
      fragment.appendChild(option);
    });
    list.replaceChildren(fragment);
  }
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener('input', refresh);
    input.addEventListener('focus', refresh);
  });
})();
