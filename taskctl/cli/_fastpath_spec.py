"""The parameters of the commands the fast path runs (taskctl.cli.fastpath).

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
"" is the root command. For each command path: its value-taking options (option ->
[parameter name, "str" or "int", repeatable]), its flags (flag -> [parameter name,
the value it sets]), its arguments ([parameter name, nargs], all required) and the
value each parameter has when the command line does not give it.
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = {
    '': {
        'options': {
            '-c': ['config', 'str', True],
            '--config': ['config', 'str', True],
            '--project': ['project', 'str', False],
        },
        'flags': {
            '--debug': ['debug', True],
        },
        'arguments': [],
        'defaults': {
            'config': None,
            'project': None,
            'debug': False,
        },
    },
    'tasks add': {
        'options': {
            '--description': ['description', 'str', False],
            '-d': ['description', 'str', False],
            '--details': ['details', 'str', False],
            '--test-strategy': ['test_strategy', 'str', False],
            '--priority': ['priority', 'str', False],
            '-p': ['priority', 'str', False],
            '--status': ['status', 'str', False],
            '-s': ['status', 'str', False],
            '--depends-on': ['depends_on', 'str', True],
            '--parent': ['parent', 'int', False],
            '--tag': ['tag', 'str', False],
            '-t': ['tag', 'str', False],
        },
        'flags': {
            '--quiet': ['quiet', True],
            '-q': ['quiet', True],
            '--json': ['as_json', True],
        },
        'arguments': [['title', 1]],
        'defaults': {
            'title': None,
            'description': None,
            'details': '',
            'test_strategy': '',
            'priority': None,
            'status': None,
            'depends_on': None,
            'parent': None,
            'tag': None,
            'quiet': False,
            'as_json': False,
        },
    },
    'tasks list': {
        'options': {
            '--status': ['status', 'str', True],
            '-s': ['status', 'str', True],
            '--priority': ['priority', 'str', True],
            '-p': ['priority', 'str', True],
            '--search': ['search', 'str', False],
            '--tag': ['tag', 'str', False],
            '-t': ['tag', 'str', False],
            '--sort': ['sort', 'str', False],
            '--limit': ['limit', 'int', False],
            '-n': ['limit', 'int', False],
            '--format': ['fmt', 'str', False],
            '-f': ['fmt', 'str', False],
            '--fields': ['fields', 'str', False],
        },
        'flags': {
            '--ready': ['ready', True],
            '--blocked': ['blocked', True],
            '--with-subtasks': ['with_subtasks', True],
            '--no-subtasks': ['with_subtasks', False],
            '--all-tags': ['all_tags', True],
            '--json': ['as_json', True],
        },
        'arguments': [],
        'defaults': {
            'status': None,
            'priority': None,
            'ready': False,
            'blocked': False,
            'search': None,
            'with_subtasks': None,
            'tag': None,
            'all_tags': False,
            'sort': None,
            'limit': None,
            'fmt': None,
            'fields': None,
            'as_json': False,
        },
    },
    'tasks next': {
        'options': {
            '--tag': ['tag', 'str', False],
            '-t': ['tag', 'str', False],
        },
        'flags': {
            '--json': ['as_json', True],
        },
        'arguments': [],
        'defaults': {
            'tag': None,
            'as_json': False,
        },
    },
    'tasks show': {
        'options': {
            '--tag': ['tag', 'str', False],
            '-t': ['tag', 'str', False],
        },
        'flags': {
            '--json': ['as_json', True],
        },
        'arguments': [['ids', -1]],
        'defaults': {
            'ids': None,
            'tag': None,
            'as_json': False,
        },
    },
    'tasks update': {
        'options': {
            '--title': ['title', 'str', False],
            '--description': ['description', 'str', False],
            '-d': ['description', 'str', False],
            '--details': ['details', 'str', False],
            '--append-details': ['append_details', 'str', False],
            '--test-strategy': ['test_strategy', 'str', False],
            '--status': ['status', 'str', False],
            '-s': ['status', 'str', False],
            '--priority': ['priority', 'str', False],
            '-p': ['priority', 'str', False],
            '--add-dependency': ['add_dependency', 'str', True],
            '--remove-dependency': ['remove_dependency', 'str', True],
            '--tag': ['tag', 'str', False],
            '-t': ['tag', 'str', False],
        },
        'flags': {
            '--json': ['as_json', True],
        },
        'arguments': [['ids', -1]],
        'defaults': {
            'ids': None,
            'title': None,
            'description': None,
            'details': None,
            'append_details': None,
            'test_strategy': None,
            'status': None,
            'priority': None,
            'add_dependency': None,
            'remove_dependency': None,
            'tag': None,
            'as_json': False,
        },
    },
}
