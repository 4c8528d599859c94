"""Acceptance checklists for testers (issue 11): each criterion checked on the wiki itself, with
its evidence, as a table, JSON or Phabricator Remarkup.

`contribution_stats.run(wiki, policy, ...)` and `image_limit.run(wiki, policy, ...)` take a
logged-in `WikiClient` and return a `checklist.Checklist`, so the CLI and the demo (against the
sandbox, in-process) run the same code; `render.render_remarkup` prints one for the task.
"""
