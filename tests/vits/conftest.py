import sys
sys.path.insert(0, "/tmp")
import fix_annotations  # TEMP scratch workaround, remove
fix_annotations.fix()
