"""Build the Cython kernels (project metadata lives in pyproject.toml)."""
from Cython.Build import cythonize
from setuptools import Extension, setup

extensions = [
    Extension("fastopt._kernels._fdiff", ["src/fastopt/_kernels/_fdiff.pyx"]),
    Extension("fastopt._kernels._twoloop", ["src/fastopt/_kernels/_twoloop.pyx"]),
]

setup(ext_modules=cythonize(extensions, compiler_directives={"language_level": 3}))
