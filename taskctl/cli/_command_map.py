"""The command tree, read by taskctl.cli.cmdline for the fast path and completion.

Generated from the app by `python -m taskctl.cli.completion`: do not edit by hand.
"" is the root command. For each command path:
- options: each value-taking option -> [parameter name, "str" or "int" (None: one
  the fast path leaves to typer), repeatable, completion callback or None];
- flags: flag -> [parameter name, the value it sets], or None for one typer
  answers itself (--help, --version, ...);
- arguments: [parameter name, nargs, completion callback or None];
- commands: a group's subcommands;
- fast: True where the fast path (taskctl.cli.fastpath) runs the command;
- runs: for those, the command's options Struct, run function and display
  (`module:name`, see taskctl.cli.run.Command);
- defaults: for those and the root, each parameter's value when the line omits it.
The fast path takes only what it reproduces exactly (see `command_map`).
"""

from typing import Any

COMMANDS: dict[str, dict[str, Any]] = {
    '': {
        'options': {
            '-c': ['config', 'str', True, 'complete_config_override'],
            '--config': ['config', 'str', True, 'complete_config_override'],
            '--project': ['project', 'str', False, None],
        },
        'flags': {
            '--debug': ['debug', True],
            '--help': None,
            '--install-completion': None,
            '--no-pager': ['no_pager', True],
            '--show-completion': None,
            '--version': None,
            '-h': None,
        },
        'arguments': [],
        'commands': ['config', 'init', 'tags', 'tasks', 'version'],
        'defaults': {
            'config': None,
            'project': None,
            'debug': False,
            'no_pager': False,
        },
    },
    'config': {
        'options': {},
        'flags': {
            '--help': None,
            '-h': None,
        },
        'arguments': [],
        'commands': ['explain', 'get', 'list', 'path', 'set', 'unset', 'validate'],
    },
    'config explain': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['key', 1, 'complete_config_key']],
    },
    'config get': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['key', 1, 'complete_config_key']],
    },
    'config list': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '--show-origin': ['show_origin', True],
            '-h': None,
        },
        'arguments': [],
    },
    'config path': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
    'config set': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '--project': ['project', True],
            '--system': ['system', True],
            '--user': ['user', True],
            '-h': None,
        },
        'arguments': [['key', 1, 'complete_config_key'], ['value', 1, None]],
    },
    'config unset': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '--project': ['project', True],
            '--system': ['system', True],
            '--user': ['user', True],
            '-h': None,
        },
        'arguments': [['key', 1, 'complete_config_key']],
    },
    'config validate': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
    'init': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['directory', 1, None]],
    },
    'tags': {
        'options': {},
        'flags': {
            '--help': None,
            '-h': None,
        },
        'arguments': [],
        'commands': ['add', 'copy', 'list', 'remove', 'rename', 'use'],
    },
    'tags add': {
        'options': {
            '--description': ['description', 'str', False, None],
            '-d': ['description', 'str', False, None],
            '--copy-from': ['copy_from', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['name', 1, None]],
    },
    'tags copy': {
        'options': {
            '--description': ['description', 'str', False, None],
            '-d': ['description', 'str', False, None],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['source', 1, 'complete_tag'], ['target', 1, None]],
    },
    'tags list': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
    'tags remove': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '--yes': ['yes', True],
            '-h': None,
            '-y': ['yes', True],
        },
        'arguments': [['name', 1, 'complete_tag']],
    },
    'tags rename': {
        'options': {},
        'flags': {
            '--force': ['force', True],
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['old', 1, 'complete_tag'], ['new', 1, None]],
    },
    'tags use': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['name', 1, 'complete_tag']],
    },
    'tasks': {
        'options': {},
        'flags': {
            '--help': None,
            '-h': None,
        },
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
            '--description': ['description', 'str', False, None],
            '-d': ['description', 'str', False, None],
            '--details': ['details', 'str', False, None],
            '--test-strategy': ['test_strategy', 'str', False, None],
            '--priority': ['priority', 'str', False, 'complete_priority'],
            '-p': ['priority', 'str', False, 'complete_priority'],
            '--status': ['status', 'str', False, 'complete_status'],
            '-s': ['status', 'str', False, 'complete_status'],
            '--depends-on': ['depends_on', 'str', True, 'complete_task_id'],
            '--parent': ['parent', 'int', False, 'complete_parent_id'],
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '--quiet': ['quiet', True],
            '-h': None,
            '-q': ['quiet', True],
        },
        'arguments': [['title', 1, None]],
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
        'fast': True,
        'runs': [
            'taskctl.cli.options:AddOptions',
            'taskctl.cli.run.writing:add',
            'taskctl.cli.render_tasks:added',
        ],
    },
    'tasks history': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
    'tasks list': {
        'options': {
            '--status': ['status', 'str', True, 'complete_statuses'],
            '-s': ['status', 'str', True, 'complete_statuses'],
            '--priority': ['priority', 'str', True, 'complete_priorities'],
            '-p': ['priority', 'str', True, 'complete_priorities'],
            '--search': ['search', 'str', False, None],
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
            '--sort': ['sort', 'str', False, 'complete_sort'],
            '--limit': ['limit', 'int', False, None],
            '-n': ['limit', 'int', False, None],
            '--format': ['fmt', 'str', False, 'complete_format'],
            '-f': ['fmt', 'str', False, 'complete_format'],
            '--fields': ['fields', 'str', False, None],
        },
        'flags': {
            '--all-tags': ['all_tags', True],
            '--blocked': ['blocked', True],
            '--help': None,
            '--json': ['as_json', True],
            '--no-subtasks': ['with_subtasks', False],
            '--ready': ['ready', True],
            '--with-subtasks': ['with_subtasks', True],
            '-h': None,
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
        'fast': True,
        'runs': [
            'taskctl.cli.options:ListOptions',
            'taskctl.cli.run.reading:list_tasks',
            'taskctl.cli.render_tasks:task_list',
        ],
    },
    'tasks next': {
        'options': {
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
        'defaults': {
            'tag': None,
            'as_json': False,
        },
        'fast': True,
        'runs': [
            'taskctl.cli.options:NextOptions',
            'taskctl.cli.run.reading:next_task',
            'taskctl.cli.render_tasks:next_task',
        ],
    },
    'tasks remove': {
        'options': {
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--force': ['force', True],
            '--help': None,
            '--json': ['as_json', True],
            '--yes': ['yes', True],
            '-h': None,
            '-y': ['yes', True],
        },
        'arguments': [['ids', -1, 'complete_task_id']],
    },
    'tasks show': {
        'options': {
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['ids', -1, 'complete_task_id']],
        'defaults': {
            'ids': None,
            'tag': None,
            'as_json': False,
        },
        'fast': True,
        'runs': [
            'taskctl.cli.options:ShowOptions',
            'taskctl.cli.run.reading:show',
            'taskctl.cli.render_tasks:shown',
        ],
    },
    'tasks undo': {
        'options': {
            '--to': ['to', 'int', False, None],
        },
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
    'tasks update': {
        'options': {
            '--title': ['title', 'str', False, None],
            '--description': ['description', 'str', False, None],
            '-d': ['description', 'str', False, None],
            '--details': ['details', 'str', False, None],
            '--append-details': ['append_details', 'str', False, None],
            '--test-strategy': ['test_strategy', 'str', False, None],
            '--status': ['status', 'str', False, 'complete_status'],
            '-s': ['status', 'str', False, 'complete_status'],
            '--priority': ['priority', 'str', False, 'complete_priority'],
            '-p': ['priority', 'str', False, 'complete_priority'],
            '--add-dependency': ['add_dependencies', 'str', True, 'complete_task_id'],
            '--remove-dependency': ['remove_dependencies', 'str', True, 'complete_task_id'],
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--clear-dependencies': ['clear_dependencies', True],
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [['ids', -1, 'complete_task_id']],
        'defaults': {
            'ids': None,
            'title': None,
            'description': None,
            'details': None,
            'append_details': None,
            'test_strategy': None,
            'status': None,
            'priority': None,
            'add_dependencies': None,
            'remove_dependencies': None,
            'clear_dependencies': False,
            'tag': None,
            'as_json': False,
        },
        'fast': True,
        'runs': [
            'taskctl.cli.options:UpdateOptions',
            'taskctl.cli.run.writing:update',
            'taskctl.cli.render_tasks:updated',
        ],
    },
    'tasks validate': {
        'options': {
            '--tag': ['tag', 'str', False, 'complete_tag'],
            '-t': ['tag', 'str', False, 'complete_tag'],
        },
        'flags': {
            '--all-tags': ['all_tags', True],
            '--fix': ['fix', True],
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
        'defaults': {
            'fix': False,
            'tag': None,
            'all_tags': False,
            'as_json': False,
        },
        'fast': True,
        'runs': [
            'taskctl.cli.options:ValidateOptions',
            'taskctl.cli.run.upkeep:validate',
            'taskctl.cli.render_tasks:validation',
        ],
    },
    'version': {
        'options': {},
        'flags': {
            '--help': None,
            '--json': ['as_json', True],
            '-h': None,
        },
        'arguments': [],
    },
}
