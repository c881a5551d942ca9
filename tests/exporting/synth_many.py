"""Synthesize several generated CDK apps in one process (one jsii runtime start for all of them).

Usage: python tests/exporting/synth_many.py DIR [DIR ...]; each DIR holds a generated app (app.py,
tierplan_stack.py) and gets its cloud assembly in DIR/cdk.out. Exits non-zero on the first failure.
Asset bundling (Java, .NET and Go functions build in their runtime's image with Docker at deploy time)
is skipped, as `cdk synth --exclusively` with no bundling stacks would: this machine has no Docker.
"""

import json
import os
import runpy
import sys

if __name__ == "__main__":
    os.environ["CDK_CONTEXT_JSON"] = json.dumps({"aws:cdk:bundling-stacks": []})
    for directory in sys.argv[1:]:
        os.environ["CDK_OUTDIR"] = os.path.join(directory, "cdk.out")
        sys.modules.pop("tierplan_stack", None)
        sys.path.insert(0, directory)
        os.chdir(directory)  # the apps name their function code relative to themselves
        try:
            runpy.run_path(os.path.join(directory, "app.py"), run_name="__main__")
        finally:
            sys.path.remove(directory)
