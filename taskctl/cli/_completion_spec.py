"""The command map the completion fast path reads (taskctl.cli.fastcomplete).

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
Each command path maps to its value-taking options (option -> [parameter name,
completion callback or None, repeatable]), its flags, its arguments ([parameter name,
completion callback or None, nargs]) and, for a group, its subcommands.
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = {
    '': {
        'options': {
            '-c': ['config', 'complete_config_override', True],
            '--config': ['config', 'complete_config_override', True],
            '--project': ['project', None, False],
        },
        'flags': [
            '--debug',
            '--help',
            '--install-completion',
            '--show-completion',
            '--version',
            '-h',
        ],
        'arguments': [],
        'commands': ['config', 'init', 'tasks', 'version'],
    },
    'config': {
        'options': {},
        'flags': ['--help', '-h'],
        'arguments': [],
        'commands': ['explain', 'get', 'list', 'path', 'set', 'unset', 'validate'],
    },
    'config explain': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [['key', 'complete_config_key', 1]],
    },
    'config get': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [['key', 'complete_config_key', 1]],
    },
    'config list': {
        'options': {},
        'flags': ['--help', '--json', '--show-origin', '-h'],
        'arguments': [],
    },
    'config path': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
    'config set': {
        'options': {},
        'flags': ['--help', '--json', '--project', '--system', '--user', '-h'],
        'arguments': [['key', 'complete_config_key', 1], ['value', None, 1]],
    },
    'config unset': {
        'options': {},
        'flags': ['--help', '--json', '--project', '--system', '--user', '-h'],
        'arguments': [['key', 'complete_config_key', 1]],
    },
    'config validate': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
    'init': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [['directory', None, 1]],
    },
    'tasks': {
        'options': {},
        'flags': ['--help', '-h'],
        'arguments': [],
        'commands': [
            'add',
            'history',
            'list',
            'next',
            'remove',
            'show',
            'undo',
            'update',
            'validate',
        ],
    },
    'tasks add': {
        'options': {
            '--description': ['description', None, False],
            '-d': ['description', None, False],
            '--details': ['details', None, False],
            '--test-strategy': ['test_strategy', None, False],
            '--priority': ['priority', 'complete_priority', False],
            '-p': ['priority', 'complete_priority', False],
            '--status': ['status', 'complete_status', False],
            '-s': ['status', 'complete_status', False],
            '--depends-on': ['depends_on', 'complete_task_id', True],
            '--parent': ['parent', 'complete_parent_id', False],
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--help', '--json', '--quiet', '-h', '-q'],
        'arguments': [['title', None, 1]],
    },
    'tasks history': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
    'tasks list': {
        'options': {
            '--status': ['status', 'complete_statuses', True],
            '-s': ['status', 'complete_statuses', True],
            '--priority': ['priority', 'complete_priorities', True],
            '-p': ['priority', 'complete_priorities', True],
            '--search': ['search', None, False],
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
            '--sort': ['sort', 'complete_sort', False],
            '--limit': ['limit', None, False],
            '-n': ['limit', None, False],
            '--format': ['fmt', 'complete_format', False],
            '-f': ['fmt', 'complete_format', False],
            '--fields': ['fields', None, False],
        },
        'flags': [
            '--all-tags',
            '--blocked',
            '--help',
            '--json',
            '--no-subtasks',
            '--ready',
            '--with-subtasks',
            '-h',
        ],
        'arguments': [],
    },
    'tasks next': {
        'options': {
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
    'tasks remove': {
        'options': {
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--force', '--help', '--json', '--yes', '-h', '-y'],
        'arguments': [['ids', 'complete_task_id', -1]],
    },
    'tasks show': {
        'options': {
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--help', '--json', '-h'],
        'arguments': [['ids', 'complete_task_id', -1]],
    },
    'tasks undo': {
        'options': {
            '--to': ['to', None, False],
        },
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
    'tasks update': {
        'options': {
            '--title': ['title', None, False],
            '--description': ['description', None, False],
            '-d': ['description', None, False],
            '--details': ['details', None, False],
            '--append-details': ['append_details', None, False],
            '--test-strategy': ['test_strategy', None, False],
            '--status': ['status', 'complete_status', False],
            '-s': ['status', 'complete_status', False],
            '--priority': ['priority', 'complete_priority', False],
            '-p': ['priority', 'complete_priority', False],
            '--add-dependency': ['add_dependency', 'complete_task_id', True],
            '--remove-dependency': ['remove_dependency', 'complete_task_id', True],
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--help', '--json', '-h'],
        'arguments': [['ids', 'complete_task_id', -1]],
    },
    'tasks validate': {
        'options': {
            '--tag': ['tag', 'complete_tag', False],
            '-t': ['tag', 'complete_tag', False],
        },
        'flags': ['--all-tags', '--fix', '--help', '--json', '-h'],
        'arguments': [],
    },
    'version': {
        'options': {},
        'flags': ['--help', '--json', '-h'],
        'arguments': [],
    },
}
