#!/usr/bin/env node
import { main } from './driver/main.js';

process.exitCode = await main(process.argv.slice(2));
