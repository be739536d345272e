import { describe, expect, it } from 'vitest';
import { parseAnsibleIni } from './ansible-ini.js';
import { parseAnsibleYaml } from './ansible-yaml.js';
import { expandHostPattern, hostsOf, inventoryFromList } from './inventory.js';

const INI = `
# the staging fleet
bastion ansible_host=198.18.9.2 ansible_user=ops

[web]
web-1 ansible_host=198.18.9.11
web-2 ansible_host=198.18.9.12 ansible_port=2222 ansible_user=deploy
web-3 ansible_host=198.18.9.13 ansible_ssh_common_args='-o ProxyJump=ops@198.18.9.2'

[db]
db[01:02] ansible_host=198.18.9.20 ; same address, different ports below
[db:vars]
ansible_user=postgres
ansible_password=never-read

[staging:children]
web
db

[staging:vars]
ansible_user=root
`;

const YAML = `
all:
  vars:
    ansible_user: root
  hosts:
    bastion:
      ansible_host: 198.18.9.2
      ansible_user: ops
  children:
    staging:
      children:
        web:
          hosts:
            web-1: { ansible_host: 198.18.9.11 }
            web-2: { ansible_host: 198.18.9.12, ansible_port: 2222, ansible_user: deploy }
            web-3:
              ansible_host: 198.18.9.13
              ansible_ssh_common_args: '-J ops@198.18.9.2'
        db:
          vars:
            ansible_user: postgres
          hosts:
            db01: { ansible_host: 198.18.9.20 }
            db02: { ansible_host: 198.18.9.20 }
`;

describe.each([
  ['INI', () => parseAnsibleIni(INI, 'hosts.ini')],
  ['YAML', () => parseAnsibleYaml(YAML, 'hosts.yml')],
])('an Ansible inventory in %s form', (_form, parse) => {
  it('reads groups, children, ansible_host/port/user with group and host precedence', () => {
    const inv = parse();
    expect(hostsOf(inv, 'web').map((h) => [h.name, h.address])).toEqual([
      ['web-1', { user: 'root', host: '198.18.9.11', port: 22 }],
      ['web-2', { user: 'deploy', host: '198.18.9.12', port: 2222 }],
      ['web-3', { user: 'root', host: '198.18.9.13', port: 22 }],
    ]);
    expect(hostsOf(inv, 'staging').map((h) => h.name)).toEqual(['web-1', 'web-2', 'web-3', 'db01', 'db02']);
    expect(hostsOf(inv, 'db').map((h) => h.address.user)).toEqual(['postgres', 'postgres']);
    expect(hostsOf(inv, 'all').map((h) => h.name)).toContain('bastion');
    expect(hostsOf(inv, 'all').find((h) => h.name === 'bastion')?.address).toEqual({ user: 'ops', host: '198.18.9.2', port: 22 });
  });

  it('takes the jump host from ProxyJump / -J and never keeps a password', () => {
    const inv = parse();
    expect(hostsOf(inv, 'web').find((h) => h.name === 'web-3')?.jump).toEqual({ user: 'ops', host: '198.18.9.2', port: 22 });
    expect(JSON.stringify(inv.hosts)).not.toContain('never-read');
  });

  it('refuses a group it does not have, naming the ones it has', () => {
    expect(() => hostsOf(parse(), 'prod')).toThrow(/no group "prod" \(groups: .*web/);
  });
});

describe('inventory edge cases', () => {
  it('expands ranges with their width and letters', () => {
    expect(expandHostPattern('db[01:03].x')).toEqual(['db01.x', 'db02.x', 'db03.x']);
    expect(expandHostPattern('n[a:c]')).toEqual(['na', 'nb', 'nc']);
    expect(expandHostPattern('w[1:5:2]')).toEqual(['w1', 'w3', 'w5']);
  });

  it('refuses a child group cycle and an undefined child', () => {
    expect(() => parseAnsibleIni('[a:children]\nb\n[b:children]\na\n')).toThrow(/cycle/);
    expect(() => parseAnsibleIni('[a:children]\nnope\n')).toThrow(/not defined/);
  });

  it('refuses a port that is not one, with the file and host', () => {
    expect(() => parseAnsibleIni('h ansible_port=99999\n', 'inv')).toThrow(/inv: host h has ansible_port 99999/);
  });

  it('reads a plain user@host:port list', () => {
    const inv = inventoryFromList(['root@198.18.9.11', 'deploy@198.18.9.12:2222', '[::1]:22']);
    expect(inv.hosts.map((h) => [h.name, h.address])).toEqual([
      ['198.18.9.11', { user: 'root', host: '198.18.9.11', port: 22 }],
      ['198.18.9.12:2222', { user: 'deploy', host: '198.18.9.12', port: 2222 }],
      ['::1', { host: '::1', port: 22 }],
    ]);
    expect(() => inventoryFromList(['a@b@c'])).toThrow(/not user@host:port/);
    expect(() => inventoryFromList(['x', 'x'])).toThrow(/twice/);
  });
});
