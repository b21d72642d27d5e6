#!/usr/bin/env node
// A committed entry point, so npm can link the `declog` command before the TypeScript build.
import '../dist/bin/declog.js';
