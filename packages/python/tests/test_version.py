"""The package is versioned with the TypeScript SDK: one version, written in three places."""

from __future__ import annotations

import json
import re
import unittest
from pathlib import Path

import protus

HERE = Path(__file__).resolve().parents[1]


class VersionTests(unittest.TestCase):
    def test_the_package_pyproject_and_the_sdk_carry_one_version(self) -> None:
        sdk = json.loads((HERE.parent / "sdk" / "package.json").read_text())["version"]
        pyproject = re.search(r'^version = "([^"]+)"$', (HERE / "pyproject.toml").read_text(), re.MULTILINE)
        self.assertIsNotNone(pyproject)
        self.assertEqual((protus.__version__, pyproject.group(1)), (sdk, sdk))
