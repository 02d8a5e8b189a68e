/**
 * `comment: 'true'` (upload mode, pull_request events): one sticky PR comment with the link table,
 * found again on the next run of the same workflow and job by a hidden marker (as sticky-comment
 * actions do) and updated in place. The body stays under GitHub's 65,536-character limit: rows
 * that do not fit are left out with a note, never a failed step.
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { CommentRow, commentBody, marker } from './comment-body';

/**
 * Creates or updates the sticky comment. Does nothing (with a note) outside pull_request events.
 * A failure of the GitHub API is a warning: the files are stored and the outputs are set.
 */
export async function postComment(token: string, rows: CommentRow[], expiresAt: string): Promise<void> {
  const ctx = github.context;
  const pr = (ctx.payload as { pull_request?: { number?: number } }).pull_request?.number;
  if (!pr) {
    core.info(`comment: not a pull_request event (${ctx.eventName || 'unknown'}); no comment posted`);
    return;
  }
  if (!token) {
    core.warning('comment: github-token is empty; no comment posted (give the job pull-requests: write and keep the default github-token)');
    return;
  }
  const repository = (ctx.payload as { repository?: { private?: boolean } }).repository;
  if (repository && repository.private === false) {
    core.warning('comment: this repository is public, so the links in the PR comment are public until they expire');
  }
  const { owner, repo } = ctx.repo;
  const mark = marker(ctx.workflow || 'workflow', ctx.job || 'job');
  const body = commentBody(rows, expiresAt, mark);
  try {
    const octokit = github.getOctokit(token);
    let existing: number | undefined;
    for (let page = 1; existing === undefined; page++) {
      const { data } = await octokit.rest.issues.listComments({ owner, repo, issue_number: pr, per_page: 100, page });
      existing = data.find((c: { id: number; body?: string | null }) => (c.body ?? '').includes(mark))?.id;
      if (data.length < 100) break;
    }
    if (existing !== undefined) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing, body });
      core.info(`comment: updated the link table on PR #${pr}`);
    } else {
      await octokit.rest.issues.createComment({ owner, repo, issue_number: pr, body });
      core.info(`comment: posted the link table on PR #${pr}`);
    }
  } catch (e) {
    const status = (e as { status?: number }).status;
    core.warning(`comment: the GitHub API refused the PR comment${status ? ` (HTTP ${status})` : ''}; the job needs permissions: pull-requests: write. The files are uploaded and the outputs set`);
  }
}
