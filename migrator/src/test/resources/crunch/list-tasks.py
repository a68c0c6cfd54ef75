# Lists a job's tasks through the real Python SDK (a tasks-as-jobs test fixture): one JSON line, the items.
import json
import sys

import arvados

items = arvados.api('v1').job_tasks().list(
    filters=[['job_uuid', '=', sys.argv[1]]], order='qsequence').execute()['items']
print(json.dumps([{'uuid': t['uuid'], 'sequence': t['sequence'], 'output': t['output'],
                   'success': t['success']} for t in items], sort_keys=True))
