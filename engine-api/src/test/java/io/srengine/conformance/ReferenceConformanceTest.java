package io.srengine.conformance;

import io.srengine.reference.ReferenceBackend;

/** The ONNX conformance suite on the reference backend, the oracle every other backend is held to. */
class ReferenceConformanceTest extends OnnxConformanceSuite {
    @Override
    protected String backendName() {
        return ReferenceBackend.NAME;
    }
}
