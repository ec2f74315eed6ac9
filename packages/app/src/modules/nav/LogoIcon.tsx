import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  svg: {
    width: 'auto',
    height: 28,
  },
  stroke: {
    fill: 'none',
    stroke: '#7df3e1',
    strokeWidth: 3,
    strokeLinejoin: 'round',
  },
});

/** The Paasport mark: a stack of three platform layers. */
export const LogoIcon = () => {
  const classes = useStyles();
  return (
    <svg
      className={classes.svg}
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 32 32"
      aria-hidden="true"
    >
      <path className={classes.stroke} d="M16 3 L29 9.5 L16 16 L3 9.5 Z" />
      <path className={classes.stroke} d="M3 15.5 L16 22 L29 15.5" />
      <path className={classes.stroke} d="M3 21.5 L16 28 L29 21.5" />
    </svg>
  );
};
