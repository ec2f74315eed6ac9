import {
  EmptyState,
  InfoCard,
  Link,
  LinkButton,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import Alert from '@material-ui/lab/Alert';
import type {
  Approval,
  Organization,
  QuotaLine,
} from '@paasport/plugin-paas-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { paasApiRef } from '../../../api';
import { useOrganizationLink } from '../../common';
import { QuotaBar, compareDimensions, describeDimension } from '../../QuotaBar';
import { LoadFailure } from '../LoadFailure';
import { SectionHeader } from '../SectionHeader';
import { ORGANIZATION_TABS } from '../tabs';
import { describeApproval } from '../../approvals';
import { RequestQuotaDialog } from '../approvals/RequestQuotaDialog';
import { EditQuotaDialog, QuotaTarget } from './EditQuotaDialog';

function sorted(lines: QuotaLine[]): QuotaLine[] {
  return [...lines].sort((a, b) => compareDimensions(a.dimension, b.dimension));
}

const QuotaLines = (props: {
  lines: QuotaLine[];
  scope: 'organization' | 'team';
  owner: string;
  onEdit: (line: QuotaLine) => void;
}) => (
  <>
    {sorted(props.lines).map(line => (
      <QuotaBar
        key={line.dimension}
        line={line}
        scope={props.scope}
        action={
          <Button
            size="small"
            color="primary"
            aria-label={`Edit the ${
              describeDimension(line.dimension).label
            } limit of ${props.owner}`}
            onClick={() => props.onEdit(line)}
          >
            Edit limit
          </Button>
        }
      />
    ))}
  </>
);

/**
 * The organization's quota and each team's carve-out, one usage bar per dimension, with the
 * dialog that changes a limit.
 */
export const QuotasSection = (props: { organization: Organization }) => {
  const { organization } = props;
  const org = organization.name;
  const paasApi = useApi(paasApiRef);
  const organizationLink = useOrganizationLink();
  const data = useAsyncRetry(async () => {
    const [quotas, teams] = await Promise.all([
      paasApi.getQuotas(org),
      paasApi.listTeams(org),
    ]);
    return { quotas, teams };
  }, [paasApi, org]);
  const [editing, setEditing] = useState<QuotaTarget>();
  const [requesting, setRequesting] = useState(false);
  const [requested, setRequested] = useState<Approval>();

  let content;
  if (data.loading && !data.value) {
    content = <Progress />;
  } else if (data.error) {
    content = (
      <LoadFailure
        error={data.error}
        title="Could not load the quotas"
        onRetry={data.retry}
      />
    );
  } else if (data.value) {
    const { quotas, teams } = data.value;
    const titles = new Map(teams.map(team => [team.name, team.title]));
    const teamNames = Array.from(
      new Set([...teams.map(team => team.name), ...Object.keys(quotas.teams)]),
    ).sort();

    content = (
      <Grid container spacing={3}>
        <Grid
          item
          xs={12}
          component="section"
          aria-label={`Quota of ${organization.title}`}
        >
          <InfoCard
            title={`${organization.title} (organization)`}
            subheader="Set by the platform team; team limits are carved out of it"
            action={
              quotas.lines.length > 0 ? (
                <Box display="flex" style={{ gap: 8 }}>
                  <Button color="primary" onClick={() => setRequesting(true)}>
                    Request more quota
                  </Button>
                  <Button
                    startIcon={<AddIcon />}
                    aria-label={`Set a limit of ${organization.title}`}
                    onClick={() => setEditing({})}
                  >
                    Set a limit
                  </Button>
                </Box>
              ) : undefined
            }
          >
            {quotas.lines.length > 0 ? (
              <QuotaLines
                lines={quotas.lines}
                scope="organization"
                owner={organization.title}
                onEdit={line =>
                  setEditing({ dimension: line.dimension, limit: line.limit })
                }
              />
            ) : (
              <EmptyState
                missing="data"
                title="No quota yet"
                description="The platform team sets how much CPU, memory, GPUs, resources and monthly budget the organization may use; its admins then carve team limits out of it."
                action={
                  <Button
                    variant="contained"
                    color="primary"
                    onClick={() => setEditing({})}
                  >
                    Set the first limit
                  </Button>
                }
              />
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Typography variant="h6" component="h3">
            Teams
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Carved out of the organization's quota by its admins.
          </Typography>
        </Grid>
        {teamNames.length === 0 && (
          <Grid item xs={12}>
            <EmptyState
              missing="data"
              title="No teams yet"
              description="Team limits are carved out of the organization's quota; create a team first."
              action={
                organizationLink ? (
                  <LinkButton
                    variant="contained"
                    color="primary"
                    to={organizationLink(org, ORGANIZATION_TABS.teams)}
                  >
                    Go to teams
                  </LinkButton>
                ) : undefined
              }
            />
          </Grid>
        )}
        {teamNames.map(team => {
          const lines = quotas.teams[team] ?? [];
          const title = titles.get(team) ?? team;
          return (
            <Grid
              item
              xs={12}
              md={6}
              key={team}
              component="section"
              aria-label={`Quota of team ${team}`}
            >
              <InfoCard
                title={title}
                subheader={`team ${team}`}
                action={
                  <Button
                    startIcon={<AddIcon />}
                    aria-label={`Set a limit of team ${team}`}
                    onClick={() => setEditing({ team })}
                  >
                    Set a limit
                  </Button>
                }
              >
                {lines.length > 0 ? (
                  <QuotaLines
                    lines={lines}
                    scope="team"
                    owner={`team ${team}`}
                    onEdit={line =>
                      setEditing({
                        team,
                        dimension: line.dimension,
                        limit: line.limit,
                      })
                    }
                  />
                ) : (
                  <Box py={1}>
                    <Typography variant="body2" color="textSecondary">
                      No limits carved out for this team yet.
                    </Typography>
                  </Box>
                )}
              </InfoCard>
            </Grid>
          );
        })}
      </Grid>
    );
  }

  return (
    <>
      <SectionHeader
        title="Quotas"
        description="Used against limit per dimension; the lighter share of the organization's bars is carved out for teams."
      />
      {requested && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setRequested(undefined)}>
            Asked the platform team: {describeApproval(requested)}. Follow it in
            the{' '}
            {organizationLink ? (
              <Link to={organizationLink(org, ORGANIZATION_TABS.approvals)}>
                Approvals tab
              </Link>
            ) : (
              'Approvals tab'
            )}
            .
          </Alert>
        </Box>
      )}
      {content}
      <RequestQuotaDialog
        organization={organization}
        open={requesting}
        lines={data.value?.quotas.lines}
        onClose={() => setRequesting(false)}
        onRequested={approval => {
          setRequesting(false);
          setRequested(approval);
        }}
      />
      <EditQuotaDialog
        organization={organization}
        target={editing}
        organizationLines={data.value?.quotas.lines ?? []}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          data.retry();
        }}
      />
    </>
  );
};
