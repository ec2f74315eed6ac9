import { ResponseErrorPanel } from '@backstage/core-components';
import Button from '@material-ui/core/Button';

/** Why a section could not load, with the backend's message and a way to try again. */
export const LoadFailure = (props: {
  error: Error;
  title: string;
  onRetry: () => void;
}) => (
  <>
    <ResponseErrorPanel error={props.error} title={props.title} />
    <Button onClick={props.onRetry}>Retry</Button>
  </>
);
