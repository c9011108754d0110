package io.srengine.onnx;

import com.google.protobuf.ByteString;
import io.srengine.DataType;
import io.srengine.Tensor;
import io.srengine.onnx.proto.Onnx.AttributeProto;
import io.srengine.onnx.proto.Onnx.AttributeProto.AttributeType;
import io.srengine.onnx.proto.Onnx.GraphProto;
import io.srengine.onnx.proto.Onnx.ModelProto;
import io.srengine.onnx.proto.Onnx.NodeProto;
import io.srengine.onnx.proto.Onnx.OperatorSetIdProto;
import io.srengine.onnx.proto.Onnx.TensorShapeProto;
import io.srengine.onnx.proto.Onnx.TypeProto;
import io.srengine.onnx.proto.Onnx.ValueInfoProto;
import java.util.List;

/** Small builders for hand-written ONNX protos in tests. */
public final class OnnxProtos {
    private OnnxProtos() {}

    /** A node; an empty name is left unset so the importer has to generate one. */
    public static NodeProto node(String name, String op, List<String> in, List<String> out, AttributeProto... attrs) {
        NodeProto.Builder b = NodeProto.newBuilder().setOpType(op).addAllInput(in).addAllOutput(out);
        if (!name.isEmpty()) {
            b.setName(name);
        }
        for (AttributeProto a : attrs) {
            b.addAttribute(a);
        }
        return b.build();
    }

    public static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
    }

    public static AttributeProto attr(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto attr(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    public static AttributeProto attr(String name, Tensor t) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(OnnxTensors.toProto("", t)).build();
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    public static AttributeProto floats(String name, float... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOATS);
        for (float x : v) {
            b.addFloats(x);
        }
        return b.build();
    }

    /** A tensor value; each dim is an Integer (dim_value), a String (dim_param) or null (unknown). */
    public static ValueInfoProto value(String name, DataType type, Object... dims) {
        return value(name, type.onnxCode(), dims);
    }

    public static ValueInfoProto value(String name, int onnxType, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                db.setDimValue(i);
            } else if (d instanceof String p) {
                db.setDimParam(p);
            }
            s.addDim(db);
        }
        TypeProto.Tensor t = TypeProto.Tensor.newBuilder().setElemType(onnxType).setShape(s).build();
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    /** A model of the given default-domain opset around {@code graph}. */
    public static ModelProto model(int opset, GraphProto.Builder graph) {
        return ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    /** A graph builder with one float input {@code x} and one float output {@code y}, both [1, 3, 4, 4]. */
    public static GraphProto.Builder graphXY() {
        return GraphProto.newBuilder().setName("g")
                .addInput(value("x", DataType.FLOAT32, 1, 3, 4, 4))
                .addOutput(value("y", DataType.FLOAT32, 1, 3, 4, 4));
    }

    public static byte[] bytes(int opset, GraphProto.Builder graph) {
        return model(opset, graph).toByteArray();
    }
}
