// Runs an ONNX model in onnxruntime-web (WebAssembly, under Node) on float32
// rows read from a binary file, and prints the output tensor as JSON, so that
// C++ tests can compare onnxruntime's actions with the training policy's.
// Usage: node tests/run_onnx.mjs MODEL.onnx INPUT.bin ROWS COLUMNS [MASK.bin]
// MASK.bin holds ROWS rows of one byte per choice, fed as "action_mask".
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const [model, input, rows, columns, mask] = process.argv.slice(2);
const bytes = readFileSync(input);
const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
ort.env.wasm.numThreads = 1;
try {
  const session = await ort.InferenceSession.create(readFileSync(model));
  const feeds = { observation: new ort.Tensor('float32', data, [Number(rows), Number(columns)]) };
  if (mask) {
    const flags = new Uint8Array(readFileSync(mask));
    feeds.action_mask = new ort.Tensor('bool', flags, [Number(rows), flags.length / Number(rows)]);
  }
  const result = await session.run(feeds);
  const output = result[session.outputNames[0]];
  console.log(JSON.stringify({ dims: output.dims, data: Array.from(output.data, Number) }));
} catch (error) {
  console.error(`onnxruntime: ${error.message}`);
  process.exit(1);
}
