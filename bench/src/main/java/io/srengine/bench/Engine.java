package io.srengine.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.srengine.Model;
import io.srengine.Session;
import io.srengine.SessionOptions;
import io.srengine.Tensor;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * One inference engine under benchmark, set up once per trial: srengine on a named backend, or ONNX
 * Runtime's Java API on its CPU provider with {@value #THREADS} intra-op threads and every graph
 * optimisation, fed the same float32 input.
 */
abstract class Engine implements AutoCloseable {
    /** Threads each engine may use: the benchmark machine's cores. */
    static final int THREADS = Integer.getInteger("srengine.bench.threads", 2);

    /** Runs the model once and returns something derived from the output (so it cannot be elided). */
    abstract Object run();

    /** The output of one run as floats, for checking that the engines agree. */
    abstract float[] output();

    @Override
    public abstract void close();

    static Engine open(String engine, byte[] onnx, Tensor input) {
        return switch (engine) {
            case "srengine-cpu" -> new Srengine("cpu", onnx, input);
            case "srengine-reference" -> new Srengine("reference", onnx, input);
            case "onnxruntime" -> new OnnxRuntime(onnx, input);
            default -> throw new IllegalArgumentException("unknown engine '" + engine
                    + "'; use srengine-cpu, srengine-reference or onnxruntime");
        };
    }

    static final class Srengine extends Engine {
        private final Session session;
        private final Tensor input;

        Srengine(String backend, byte[] onnx, Tensor input) {
            this.session = Model.load(onnx).newSession(SessionOptions.builder().backend(backend).threads(THREADS).build());
            this.input = input;
        }

        @Override
        Object run() {
            return session.run(input);
        }

        @Override
        float[] output() {
            return session.run(input).floats();
        }

        @Override
        public void close() {
            session.close();
        }
    }

    static final class OnnxRuntime extends Engine {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession session;
        private final OnnxTensor tensor;
        private final Map<String, OnnxTensor> feed;

        OnnxRuntime(byte[] onnx, Tensor input) {
            try {
                OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                o.setIntraOpNumThreads(THREADS);
                o.setInterOpNumThreads(1);
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                session = env.createSession(onnx, o);
                long[] shape = new long[input.rank()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = input.dim(i);
                }
                tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.floats()), shape);
                feed = Map.of(session.getInputNames().iterator().next(), tensor);
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime could not load the model: " + e.getMessage(), e);
            }
        }

        @Override
        Object run() {
            try (OrtSession.Result r = session.run(feed)) {
                return r.get(0).getInfo();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        float[] output() {
            try (OrtSession.Result r = session.run(feed)) {
                FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                float[] out = new float[b.remaining()];
                b.get(out);
                return out;
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            try {
                tensor.close();
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
