import { ResponseError } from '@backstage/errors';
import { PaasService } from '@paasport/plugin-paas-node';

/** A PaasService whose every method is a jest mock; tests give the ones they use. */
export function mockPaasService(
  implementations: Partial<jest.Mocked<PaasService>> = {},
): jest.Mocked<PaasService> {
  return {
    getHealth: jest.fn(),
    listOrganizations: jest.fn(),
    getOrganization: jest.fn(),
    createOrganization: jest.fn(),
    listTeams: jest.fn(),
    listMembers: jest.fn(),
    submitDeployment: jest.fn(),
    listDeployments: jest.fn(),
    getDeployment: jest.fn(),
    createResource: jest.fn(),
    listResources: jest.fn(),
    getResource: jest.fn(),
    deleteResource: jest.fn(),
    ...implementations,
  };
}

/** The error the client throws for a backend answer with `status`. */
export async function responseError(
  status: number,
  name: string,
  message: string,
  url = '/api/paas',
) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
