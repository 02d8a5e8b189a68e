/**
 * Everything the action writes to the log goes through here, made safe with `logSafe`: keys,
 * file names, bucket names and error messages come from the repository or the workflow, and a
 * value must never start a workflow command (`::add-mask::`, `::stop-commands::`, `##[error]`)
 * or a new line. A test checks that no other file of src/action calls the log functions of
 * @actions/core directly.
 */
import * as core from '@actions/core';
import { logSafe } from '../shared/text';

export function info(line: string): void {
  core.info(logSafe(line));
}

export function warning(message: string): void {
  core.warning(logSafe(message));
}

/** Ends the step as failed with one `::error::` annotation. */
export function fail(message: string): void {
  core.setFailed(logSafe(message));
}

/** A collapsed group of lines in the log. */
export function group(title: string, lines: readonly string[]): void {
  core.startGroup(logSafe(title));
  for (const l of lines) core.info(logSafe(l));
  core.endGroup();
}
