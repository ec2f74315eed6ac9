import {
  Content,
  InfoCard,
  Link,
  LinkButton,
  PageWithHeader,
  Progress,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Grid from '@material-ui/core/Grid';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { OrganizationRole } from '@paasport/plugin-paas-common';
import { FormEvent, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import useInterval from 'react-use/esm/useInterval';
import { paasApiRef } from '../../api';
import { errorMessage, errorStatus, retryAfterSeconds } from '../../api/errors';
import { useOrganizationLink } from '../common';

type Outcome =
  | {
      kind: 'joined';
      organization: string;
      title: string;
      role: OrganizationRole;
    }
  | { kind: 'invalid' | 'already-member' | 'failed'; message: string }
  | { kind: 'rate-limited'; retryAt?: number; message: string };

const OutcomeAlert = (props: { outcome: Outcome; now: number }) => {
  const { outcome, now } = props;
  const organizationLink = useOrganizationLink();

  switch (outcome.kind) {
    case 'joined':
      return (
        <Alert
          severity="success"
          action={
            organizationLink ? (
              <LinkButton
                color="inherit"
                size="small"
                to={organizationLink(outcome.organization)}
              >
                Open {outcome.title}
              </LinkButton>
            ) : undefined
          }
        >
          <AlertTitle>Welcome to {outcome.title}</AlertTitle>
          You joined {outcome.title} as <b>{outcome.role}</b>.
        </Alert>
      );
    case 'invalid':
      return (
        <Alert severity="error">
          <AlertTitle>This code does not work</AlertTitle>
          {outcome.message}
        </Alert>
      );
    case 'already-member':
      return (
        <Alert severity="info">
          <AlertTitle>You are already a member</AlertTitle>
          {outcome.message}
        </Alert>
      );
    case 'rate-limited': {
      // Without a readable Retry-After (a cross-origin backend that does not expose it),
      // the backend's own message still says how long to wait, as of the refusal.
      if (outcome.retryAt === undefined) {
        return (
          <Alert severity="warning">
            {outcome.message || 'Too many attempts, retry in a little while.'}
          </Alert>
        );
      }
      const seconds = Math.ceil((outcome.retryAt - now) / 1000);
      return (
        <Alert severity="warning">
          {seconds > 0
            ? `Too many attempts, retry in ${seconds} s`
            : 'You can try again now.'}
        </Alert>
      );
    }
    default:
      return <Alert severity="error">{outcome.message}</Alert>;
  }
};

const MyOrganizations = (props: { reload: number }) => {
  const paasApi = useApi(paasApiRef);
  const organizationLink = useOrganizationLink();
  const memberships = useAsyncRetry(
    () => paasApi.getMyMemberships(),
    [paasApi, props.reload],
  );

  let content;
  if (memberships.loading && !memberships.value) {
    content = <Progress />;
  } else if (memberships.error) {
    content = <Alert severity="error">{errorMessage(memberships.error)}</Alert>;
  } else if (!memberships.value?.length) {
    content = (
      <Typography variant="body2" color="textSecondary">
        You are not a member of any organization yet.
      </Typography>
    );
  } else {
    content = (
      <List dense aria-label="Your organizations">
        {memberships.value.map(membership => (
          <ListItem key={membership.organization}>
            <ListItemText
              primary={
                organizationLink ? (
                  <Link to={organizationLink(membership.organization)}>
                    {membership.organization}
                  </Link>
                ) : (
                  membership.organization
                )
              }
              secondary={membership.role}
            />
          </ListItem>
        ))}
      </List>
    );
  }
  return <InfoCard title="Your organizations">{content}</InfoCard>;
};

/**
 * Redeems an invite code: the body of the "Join an organization" page, without a page header
 * (the new frontend system's page layout brings its own).
 */
export const JoinPageContent = () => {
  const paasApi = useApi(paasApiRef);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [now, setNow] = useState(() => Date.now());
  const [reload, setReload] = useState(0);

  const retryAt =
    outcome?.kind === 'rate-limited' ? outcome.retryAt : undefined;
  const waiting = retryAt !== undefined && retryAt > now;
  useInterval(() => setNow(Date.now()), waiting ? 1000 : null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = code.trim();
    if (!trimmed || busy || waiting) {
      return;
    }
    setBusy(true);
    setOutcome(undefined);
    try {
      const joined = await paasApi.redeemInvite(trimmed);
      const title = await paasApi
        .getOrganization(joined.organization)
        .then(organization => organization.title)
        .catch(() => joined.organization);
      setCode('');
      setOutcome({ kind: 'joined', title, ...joined });
      setReload(count => count + 1);
    } catch (error) {
      const message = errorMessage(error);
      switch (errorStatus(error)) {
        case 400:
          setOutcome({ kind: 'invalid', message });
          break;
        case 409:
          setOutcome({ kind: 'already-member', message });
          break;
        case 429: {
          const seconds = retryAfterSeconds(error);
          const at = Date.now();
          setNow(at);
          setOutcome({
            kind: 'rate-limited',
            message,
            retryAt: seconds === undefined ? undefined : at + seconds * 1000,
          });
          break;
        }
        default:
          setOutcome({ kind: 'failed', message });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Content>
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          <InfoCard title="Join with an invite code">
            <form onSubmit={submit} noValidate>
              <Typography variant="body2" paragraph>
                An admin of the organization gives you the code. It brings you
                in with the role they chose.
              </Typography>
              <Box display="flex" alignItems="flex-start" style={{ gap: 8 }}>
                <TextField
                  fullWidth
                  variant="outlined"
                  size="small"
                  id="paas-join-code"
                  label="Invite code"
                  value={code}
                  onChange={event => setCode(event.target.value)}
                  autoComplete="off"
                  inputProps={{
                    spellCheck: false,
                    style: { fontFamily: 'monospace' },
                  }}
                />
                <Button
                  type="submit"
                  variant="contained"
                  color="primary"
                  disabled={busy || waiting || !code.trim()}
                  startIcon={busy ? <CircularProgress size={16} /> : undefined}
                >
                  Join
                </Button>
              </Box>
              {outcome && (
                <Box mt={2}>
                  <OutcomeAlert outcome={outcome} now={now} />
                </Box>
              )}
            </form>
          </InfoCard>
        </Grid>
        <Grid item xs={12} md={5}>
          <MyOrganizations reload={reload} />
        </Grid>
      </Grid>
    </Content>
  );
};

/**
 * The "Join an organization" page: paste an invite code, join the organization it is for.
 *
 * @public
 */
export const JoinPage = () => (
  <PageWithHeader
    themeId="tool"
    title="Join an organization"
    subtitle="Paasport: use the invite code an organization admin gave you"
  >
    <JoinPageContent />
  </PageWithHeader>
);
