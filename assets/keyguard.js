// Rackside keyguard: keep the keys typed into a Flutter web text field before Flutter starts listening to it.
//
// Why: with Flutter's semantics tree on (screen readers, browser automation), each text field is a real <input> or
// <textarea>. A tap focuses it at once and the browser starts inserting typed characters into it, but Flutter opens
// its text-input connection a frame or more later (4-35 ms measured, longer when the page is busy). When it does,
// the engine attaches its listeners and writes the framework's value (the text before the tap) into the element,
// erasing what was typed meanwhile: the "lost first keystroke" of issue 11. Flet 1.0.5 ships this engine; nothing
// on the Python side sees the lost key (it never leaves the browser). Without the semantics tree the engine focuses
// its own hidden <input> only once it listens, and no key was lost (12 of 12 tries); this script then does nothing.
//
// What: from the moment such a field gains focus until the engine attaches its "input" listener, remember what the
// element holds after each typed change. When the engine then overwrites the element with older text, put the
// difference back with execCommand("insertText"), which Flutter receives as ordinary typing, in order and before
// the next key event. Nothing happens when nothing was typed early or when the engine wrote the same text.
(function () {
  "use strict";

  var early = new WeakMap(); // element -> {typed: string|null, listening: boolean}
  var counts = (window.racksideKeyguard = { repairs: 0 }); // read by the browser tests

  function isTextElement(el) {
    return el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
  }

  function isFlutterField(el) {
    return isTextElement(el) && el.closest("flt-semantics-host, flt-semantics, flutter-view, flt-glass-pane") !== null;
  }

  document.addEventListener(
    "focusin",
    function (event) {
      var el = event.target;
      if (isFlutterField(el) && !early.has(el)) {
        early.set(el, { typed: null, listening: false });
      }
    },
    true
  );

  document.addEventListener(
    "focusout",
    function (event) {
      early.delete(event.target);
    },
    true
  );

  // Capture phase on the document: runs before any listener on the element, so it sees typing Flutter missed.
  document.addEventListener(
    "input",
    function (event) {
      var state = early.get(event.target);
      if (state && !state.listening) {
        state.typed = event.target.value;
      }
    },
    true
  );

  var addEventListener = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (type === "input" && isTextElement(this)) {
      var state = early.get(this);
      if (state) {
        state.listening = true; // the engine is taking the field over; its next value write is the one to repair
      }
    }
    return addEventListener.call(this, type, listener, options);
  };

  function restore(el, written, typed) {
    if (document.activeElement !== el) {
      return;
    }
    counts.repairs += 1;
    if (typed.indexOf(written) === 0) {
      el.setSelectionRange(written.length, written.length);
      document.execCommand("insertText", false, typed.slice(written.length));
    } else {
      el.select();
      document.execCommand("insertText", false, typed);
    }
  }

  [HTMLInputElement, HTMLTextAreaElement].forEach(function (type) {
    var value = Object.getOwnPropertyDescriptor(type.prototype, "value");
    Object.defineProperty(type.prototype, "value", {
      configurable: true,
      enumerable: value.enumerable,
      get: function () {
        return value.get.call(this);
      },
      set: function (text) {
        value.set.call(this, text);
        var state = early.get(this);
        if (!state || !state.listening) {
          return;
        }
        early.delete(this); // one repair per focus: later writes are Flutter's own
        var typed = state.typed;
        if (typed !== null && typed !== String(text)) {
          var el = this;
          // After the engine's current task (it sets the selection next), before the next key event.
          queueMicrotask(function () {
            restore(el, String(text), typed);
          });
        }
      },
    });
  });
})();
