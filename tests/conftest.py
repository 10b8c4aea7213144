import sys
from pathlib import Path

# tests/ holds helper modules (reference.py) imported by the test files.
sys.path.insert(0, str(Path(__file__).parent))
