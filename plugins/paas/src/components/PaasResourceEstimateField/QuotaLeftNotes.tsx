import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import useAsync from 'react-use/esm/useAsync';
import { paasApiRef } from '../../api';
import { errorMessage } from '../../api/errors';
import { describeQuotaLeft } from './describeQuotaLeft';
import { findOwnerTeam, OwnerTeam } from './findOwnerTeam';
import type { OwnerSelection } from './ownerSelection';
import { quotaLeft } from './quotaLeft';

/**
 * The quota one more resource of `kind` would use, for the team the form names: one of the
 * kind's count and, when it costs anything, its monthly cost of the budget.
 */
export const QuotaLeftNotes = (props: {
  owner: OwnerSelection;
  kind: string;
  /** Undefined when the cost is not known (no provider is installed for the kind). */
  monthlyCost?: number;
}) => {
  const { owner, kind, monthlyCost } = props;
  const paasApi = useApi(paasApiRef);
  const catalogApi = useApi(catalogApiRef);
  const groupRef = owner.type === 'group' ? owner.ref : undefined;
  const organization = owner.type === 'team' ? owner.organization : undefined;
  const team = owner.type === 'team' ? owner.team : undefined;

  const state = useAsync(async () => {
    const ownerTeam: OwnerTeam = groupRef
      ? await findOwnerTeam(catalogApi, groupRef)
      : { type: 'team', organization: organization!, team: team! };
    if (ownerTeam.type !== 'team') {
      return ownerTeam;
    }
    return {
      ...ownerTeam,
      quotas: await paasApi.getQuotas(ownerTeam.organization),
    };
  }, [catalogApi, paasApi, groupRef, organization, team]);

  if (state.loading) {
    return <Progress />;
  }
  if (state.error) {
    return (
      <Alert severity="error">
        Could not load the quota: {errorMessage(state.error)}
      </Alert>
    );
  }
  const ownerTeam = state.value!;
  if (ownerTeam.type !== 'team') {
    return <Alert severity="info">{ownerTeam.message}</Alert>;
  }

  const needs: Array<[dimension: string, amount: number]> = [
    [`count/${kind}`, 1],
  ];
  if (monthlyCost !== undefined && monthlyCost > 0) {
    needs.push(['budget-monthly', monthlyCost]);
  }
  return (
    <Box>
      <Typography variant="body2" gutterBottom>
        Quota left for team {ownerTeam.team} of {ownerTeam.organization}:
      </Typography>
      {needs.map(([dimension, amount]) => {
        const note = describeQuotaLeft(
          quotaLeft(ownerTeam.quotas, ownerTeam.team, dimension),
          amount,
          ownerTeam,
        );
        return (
          <Box key={dimension} mb={1}>
            <Alert severity={note.severity}>
              <AlertTitle>{note.title}</AlertTitle>
              {note.text}
            </Alert>
          </Box>
        );
      })}
    </Box>
  );
};
