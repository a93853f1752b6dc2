// Starts the codec worker (see src/bin/codec_worker.rs): loads its module, and tells the editor
// when it cannot, so a failed start becomes a message instead of a job that never ends.
importScripts('./codec_worker.js');
wasm_bindgen({ module_or_path: './codec_worker_bg.wasm' }).catch((problem) => postMessage(`failed ${problem}`));
