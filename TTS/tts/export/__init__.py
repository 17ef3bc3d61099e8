"""Model export (ONNX) for the ``onnx`` extra."""
