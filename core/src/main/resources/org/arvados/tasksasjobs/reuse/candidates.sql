-- The candidates of a batch of probes (docs/arvados.md §5), in the order the walk takes them.
-- Parameters 1-7 are text arrays (repository, script, script_version, image, sdk, digest, owner_uuid), 8 a boolean
-- array (task), one element per probe. Its slots, filled by ReuseEngine by name:
--   log:    the log a candidate is judged by: its own, or on a migrated database its parent's when it has none
--   parent: the join to a candidate's parent job (migrated databases only)
--   world:  which candidates a probe may see: top-level probes top-level jobs, task probes task-like jobs
--   tie:    the direction of the id that breaks ties on created_at (TieBreak)
-- Each probe's candidates are looked up through the script_parameters_digest index, whatever the planner guesses:
-- it cannot see how many probes an array holds (it assumes 100), and on a small table it would rather hash the
-- whole of jobs, which on a production table (millions of wide rows) is a full scan per batch. OFFSET 0 keeps the
-- LATERAL subquery from being flattened into a plain join, so it stays one index lookup per probe.
-- The order is Arvados' "state desc, created_at": written as a CASE so that no collation can change it (the
-- three states left sort Running, Queued, Complete either way), and with id last so that ties on created_at
-- are broken the same way on every run, in the direction the TieBreak asks for.
SELECT p.ord, j.uuid, j.state, j.output, j.log
FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::boolean[])
         WITH ORDINALITY AS p(repository, script, script_version, image, sdk, digest, owner_uuid, task, ord)
CROSS JOIN LATERAL (
    SELECT c.id, c.uuid, c.state, c.output, ${log} AS log, c.created_at
    FROM jobs c ${parent}
    WHERE c.script_parameters_digest = p.digest
      AND c.script = p.script
      AND c.repository = p.repository
      AND (p.script_version IS NULL OR c.script_version = p.script_version)
      AND c.docker_image_locator IS NOT DISTINCT FROM p.image
      AND (p.sdk IS NULL OR c.arvados_sdk_version = p.sdk)
      AND c.nondeterministic IS NOT TRUE
      AND (c.state = 'Complete' OR (c.state IN ('Queued', 'Running') AND c.owner_uuid = p.owner_uuid))
      ${world}
    OFFSET 0
) j
ORDER BY p.ord, CASE j.state WHEN 'Running' THEN 0 WHEN 'Queued' THEN 1 ELSE 2 END, j.created_at, j.id ${tie}
