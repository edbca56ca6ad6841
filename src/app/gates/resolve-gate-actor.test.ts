import { FakeGateProjects } from '../../../tests/gates/fakes';
import { ResolveGateActor } from './resolve-gate-actor';

describe('resolving a tab user as a gate actor', () => {
  test('finds their HaloPSA agent by e-mail, whatever its case', async () => {
    const projects = new FakeGateProjects();
    projects.agents.set('megan@msp.example', 5);

    const actor = await new ResolveGateActor(projects).run({
      aadObjectId: 'aad-megan',
      name: 'Megan Bowen',
      email: 'Megan@msp.example',
      roles: ['pm'],
    });

    expect(actor).toEqual({
      aadObjectId: 'aad-megan',
      name: 'Megan Bowen',
      email: 'Megan@msp.example',
      roles: ['pm'],
      haloAgentId: 5,
    });
  });

  test('no e-mail or no agent: no HaloPSA agent', async () => {
    const resolve = new ResolveGateActor(new FakeGateProjects());
    const person = { aadObjectId: 'aad-x', name: 'X', roles: [] };

    expect((await resolve.run({ ...person, email: null })).haloAgentId).toBeNull();
    expect((await resolve.run({ ...person, email: 'x@msp.example' })).haloAgentId).toBeNull();
  });
});
