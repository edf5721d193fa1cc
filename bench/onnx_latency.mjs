// Latency per action of an exported ONNX policy in onnxruntime-web (WebAssembly
// under Node), batch 1. Usage: node bench/onnx_latency.mjs POLICY.onnx OBSERVATION_SIZE
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';

const [model, size] = process.argv.slice(2);
ort.env.wasm.numThreads = 1;
const session = await ort.InferenceSession.create(readFileSync(model));
const input = session.inputNames[0];
const calls = 5000;
const ns = [];
for (let call = -500; call < calls; ++call) {
  const observation = new Float32Array(Number(size)).fill(0.001 * (call % 200));
  const start = process.hrtime.bigint();
  await session.run({ [input]: new ort.Tensor('float32', observation, [1, Number(size)]) });
  if (call >= 0) ns.push(Number(process.hrtime.bigint() - start));
}
ns.sort((a, b) => a - b);
const us = (value) => (value / 1000).toFixed(3);
console.log(`onnx (onnxruntime-web, wasm): median ${us(ns[calls >> 1])} us, p99 ${us(ns[Math.floor(calls * 0.99)])} us (${calls} calls, batch 1)`);
