// Client-side filter over the result list: works from file:// because it fetches nothing.
(function () {
  var input = document.getElementById('q');
  var list = document.getElementById('results');
  if (!input || !list) { return; }
  input.addEventListener('input', function () {
    var q = input.value.toLowerCase();
    Array.prototype.forEach.call(list.querySelectorAll('li'), function (li) {
      li.hidden = q !== '' && li.textContent.toLowerCase().indexOf(q) === -1;
    });
  });
})();
