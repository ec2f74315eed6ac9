import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';

/** Title of one section of the organization page, with its actions on the right. */
export const SectionHeader = (props: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
}) => (
  <Box
    display="flex"
    alignItems="flex-start"
    justifyContent="space-between"
    flexWrap="wrap"
    mb={2}
    style={{ gap: 8 }}
  >
    <Box>
      <Typography variant="h5" component="h2">
        {props.title}
      </Typography>
      {props.description && (
        <Typography variant="body2" color="textSecondary">
          {props.description}
        </Typography>
      )}
    </Box>
    <Box display="flex" style={{ gap: 8 }}>
      {props.children}
    </Box>
  </Box>
);
