/* "Scan the QR code" on /verify: the phone's camera and the browser's own BarcodeDetector.
   Progressive enhancement: without BarcodeDetector or a camera the button stays hidden and the
   number form works as before. Nothing leaves the browser but the check of the code read. A code
   is always checked on this site, whatever address it names: a forged code that points to a
   look-alike site is still checked against this lab's register. */
(function () {
  var box = document.getElementById("scan");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices ||
      !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var start = box.querySelector("[data-scan-start]");
  var stop = box.querySelector("[data-scan-stop]");
  var video = box.querySelector("video");
  var said = box.querySelector("[data-scan-status]");
  var stream = null;
  var timer = null;
  box.hidden = false;

  function tell(text) { said.textContent = text; }

  function finish() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  /* Return this site's address for the certificate the code names, or null. */
  function target(text) {
    var url;
    try { url = new URL(text.trim(), window.location.href); } catch (e) { return null; }
    var match = /\/verify\/([A-Za-z0-9][A-Za-z0-9-]{2,39})\/?$/.exec(url.pathname);
    if (!match) { return null; }
    var here = new URL("/verify/" + encodeURIComponent(match[1].toUpperCase()), window.location.href);
    var token = url.searchParams.get("t");
    if (token) { here.searchParams.set("t", token); }
    return {href: here.href, number: match[1].toUpperCase(),
            foreign: url.origin !== window.location.origin ? url.host : null};
  }

  function look(detector) {
    detector.detect(video).then(function (codes) {
      for (var i = 0; i < codes.length; i++) {
        var found = target(codes[i].rawValue || "");
        if (found) {
          finish();
          tell("Read certificate " + found.number + (found.foreign ?
            " (the code names " + found.foreign + "; it is checked here)" : "") + "…");
          window.location.assign(found.href);
          return;
        }
        tell("This QR code is not a certificate's code: " + (codes[i].rawValue || "").slice(0, 80));
      }
      timer = setTimeout(function () { look(detector); }, 250);
    }).catch(function () {
      timer = setTimeout(function () { look(detector); }, 500);
    });
  }

  start.addEventListener("click", function () {
    var detector;
    try {
      detector = new window.BarcodeDetector({formats: ["qr_code"]});
    } catch (e) {
      tell("This browser cannot read QR codes; type the certificate number instead.");
      return;
    }
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        tell("Point the camera at the QR code on the certificate.");
        return video.play().then(function () { look(detector); });
      })
      .catch(function () {
        finish();
        tell("The camera is not available (permission refused or no camera); type the " +
             "certificate number instead.");
      });
  });
  stop.addEventListener("click", function () { finish(); tell(""); });
}());
