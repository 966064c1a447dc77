// Frame buffers for the websocket fan-out (CommonJS). A module-level free list.
'use strict';

const FRAME_SIZE = 16 * 1024;
const freeFrames = [];

function takeFrame() {
  return freeFrames.pop() || Buffer.alloc(FRAME_SIZE);
}

function giveFrame(frame) {
  frame.fill(0);
  freeFrames.push(frame);
}

/** Wrong: the header view escapes into a callback that runs after the frame went back. */
function encodeAndSend(socket, payload) {
  const frame = freeFrames.pop() || Buffer.alloc(FRAME_SIZE);
  const length = frame.write(JSON.stringify(payload), 2, 'utf8');
  frame.writeUInt16BE(length, 0);
  const view = frame.subarray(0, length + 2);
  socket.write(view, () => console.log('sent frame of', view.length)); // expect: pooled-object-used-after-release
  frame.fill(0);
  freeFrames.push(frame);
}

/** Correct: copied before the frame goes back. */
function encodeCopy(payload) {
  const frame = takeFrame();
  try {
    const length = frame.write(JSON.stringify(payload), 0, 'utf8');
    return Buffer.from(frame.subarray(0, length));
  } finally {
    giveFrame(frame);
  }
}

module.exports = { encodeAndSend, encodeCopy };
