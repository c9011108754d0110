// Runs the original UpscalerJS ESRGAN models in TensorFlow.js (pure JavaScript CPU backend) on
// small crops of public-domain / CC0 photographs and writes the outputs as reference fixtures for
// srengine's TfjsConversionTest.
//
// Usage: node tools/tfjs-reference.mjs [--images DIR] CACHE_DIR FIXTURE_DIR MODEL...
//   CACHE_DIR    where tools/fetch-upscalerjs.sh unpacked the packages (tools/.cache/upscalerjs)
//   FIXTURE_DIR  models/src/test/resources/io/srengine/models/tfjs-fixtures
//   MODEL        srengine model names such as esrgan-slim-x2, esrgan-thick-x4
//   --images     Debian python3-skimage's data directory (default /usr/lib/python3/dist-packages/skimage/data)
//
// For each model it writes MODEL.tfjs.f32.gz: the raw output of model.predict, float32
// little-endian, NCHW [1, 3, 24*s, 24*s], gzip-compressed, in the network's own value range
// (0-255 for RDN, 0-1 for RRDN; not clipped). The input crop is written as an 8-bit RGB PNG under
// crops/, and fixtures.properties records which crop and range belong to which model.
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CROP = 24;
// One photo per scale, cropped where there is texture and edges: the skimage data README and
// docstrings give astronaut.png as public domain (NASA) and coffee.png / chelsea.png as CC0.
const CROPS = {
  2: { photo: 'astronaut.png', y: 96, x: 196, licence: 'public domain (NASA Great Images database; Eileen Collins)' },
  3: { photo: 'coffee.png', y: 256, x: 344, licence: 'CC0 (photograph by Rachel Michetti, courtesy of Pikolo Espresso Bar)' },
  4: { photo: 'chelsea.png', y: 100, x: 150, licence: 'CC0 (photograph by Stefan van der Walt)' },
};

function parseArgs(argv) {
  let images = '/usr/lib/python3/dist-packages/skimage/data';
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--images') {
      images = argv[++i];
    } else {
      rest.push(argv[i]);
    }
  }
  if (rest.length < 3) {
    console.error('usage: node tools/tfjs-reference.mjs [--images DIR] CACHE_DIR FIXTURE_DIR MODEL...');
    process.exit(2);
  }
  return { images, cache: rest[0], fixtures: rest[1], models: rest.slice(2) };
}

function crop(imagesDir, spec) {
  const png = PNG.sync.read(fs.readFileSync(path.join(imagesDir, spec.photo)));
  if (png.width < spec.x + CROP || png.height < spec.y + CROP) {
    throw new Error(`${spec.photo} is ${png.width}x${png.height}, too small for the crop at ${spec.y},${spec.x}`);
  }
  // pngjs decodes to RGBA whatever the colour type; keep RGB.
  const rgb = new Uint8Array(CROP * CROP * 3);
  for (let y = 0; y < CROP; y++) {
    for (let x = 0; x < CROP; x++) {
      const from = ((spec.y + y) * png.width + spec.x + x) * 4;
      rgb.set(png.data.subarray(from, from + 3), (y * CROP + x) * 3);
    }
  }
  return rgb;
}

function writeCropPng(rgb, file) {
  const png = new PNG({ width: CROP, height: CROP, colorType: 2, inputColorType: 2, inputHasAlpha: false });
  png.data = Buffer.from(rgb);
  fs.writeFileSync(file, PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}

async function loadModel(dir) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const specs = [];
  const buffers = [];
  // TF.js expects the weight specs of all groups in order, over the concatenation of all shards.
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      buffers.push(fs.readFileSync(path.join(dir, p)));
    }
  }
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
}

function readProperties(file) {
  const props = new Map();
  if (fs.existsSync(file)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const m = /^([^#=\s][^=]*)=(.*)$/.exec(line);
      if (m) props.set(m[1], m[2]);
    }
  }
  return props;
}

function writeProperties(file, props) {
  const header = [
    '# Reference fixtures made by tools/tfjs-reference.mjs: the original UpscalerJS models run in',
    '# TensorFlow.js on the crop named here. Output: float32 LE, NCHW, gzip, in the network\'s own range.',
  ];
  const lines = [...props.keys()].sort().map((k) => `${k}=${props.get(k)}`);
  fs.writeFileSync(file, header.concat(lines).join('\n') + '\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  const tfjsVersion = tf.version.tfjs;
  fs.mkdirSync(path.join(args.fixtures, 'crops'), { recursive: true });
  const propsFile = path.join(args.fixtures, 'fixtures.properties');
  const props = readProperties(propsFile);

  for (const name of args.models) {
    const m = /^(esrgan-(?:slim|medium|thick))-x(\d+)$/.exec(name);
    if (!m) throw new Error(`unknown model name '${name}' (expected esrgan-{slim,medium,thick}-x{2,3,4})`);
    const [pkg, scale] = [m[1], Number(m[2])];
    const spec = CROPS[scale];
    if (!spec) throw new Error(`no crop chosen for scale ${scale}`);
    const pkgDir = path.join(args.cache, pkg);
    const pkgJson = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    // The package's own model definition: input range, architecture, and for RRDN the setup that
    // registers its custom MultiplyBeta and PixelShuffle<s>x layers with TF.js.
    const definition = require(path.resolve(pkgDir, `dist/cjs/models/${pkg}/src/x${scale}/cjs.js`));
    if (definition.scale !== scale) throw new Error(`${pkg} x${scale} defines scale ${definition.scale}`);
    if (typeof definition.setup === 'function') definition.setup(tf);
    const range = definition.inputRange[1];
    const modelDir = path.join(pkgDir, path.dirname(definition._internals.path));

    const model = await loadModel(modelDir);
    const rgb = crop(args.images, spec);
    const cropName = `${path.basename(spec.photo, '.png')}-y${spec.y}-x${spec.x}-${CROP}.png`;
    writeCropPng(rgb, path.join(args.fixtures, 'crops', cropName));

    const output = tf.tidy(() => {
      const x = tf.tensor4d(Float32Array.from(rgb), [1, CROP, CROP, 3], 'float32');
      // UpscalerJS scales 0-255 pixels into the model's input range the same way: a float32 division.
      const input = range === 255 ? x : tf.div(x, 255 / range);
      const y = model.predict(input);
      return tf.transpose(y, [0, 3, 1, 2]);
    });
    const shape = output.shape;
    const values = await output.data();
    output.dispose();
    if (shape[1] !== 3 || shape[2] !== CROP * scale || shape[3] !== CROP * scale) {
      throw new Error(`${name}: output shape ${shape} is not [1, 3, ${CROP * scale}, ${CROP * scale}]`);
    }
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const outName = `${name}.tfjs.f32.gz`;
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    fs.writeFileSync(path.join(args.fixtures, outName), zlib.gzipSync(bytes, { level: 9 }));

    const origin = `${pkgJson.name}@${pkgJson.version} ${definition._internals.path}`;
    props.set(`${name}.crop`, `crops/${cropName}`);
    props.set(`${name}.output`, outName);
    props.set(`${name}.shape`, shape.join(','));
    props.set(`${name}.range`, String(range));
    props.set(`${name}.source`, origin);
    props.set(`${name}.generator`, `@tensorflow/tfjs@${tfjsVersion} cpu backend, tools/tfjs-reference.mjs`);
    props.set(`crop.${cropName}`, `${spec.photo} from Debian python3-skimage, rows ${spec.y}-${spec.y + CROP - 1},`
      + ` columns ${spec.x}-${spec.x + CROP - 1}; ${spec.licence}`);
    console.error(`${name}: ${origin} on ${cropName} -> [${shape}] output range [${min.toFixed(3)}, ${max.toFixed(3)}]`);
    model.dispose();
  }
  writeProperties(propsFile, props);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
