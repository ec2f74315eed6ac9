const formatter = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** An ISO timestamp shown in the reader's locale, with the exact value as a tooltip. */
export const Timestamp = (props: { value: string }) => {
  const date = new Date(props.value);
  if (Number.isNaN(date.getTime())) {
    return <>{props.value}</>;
  }
  return (
    <time dateTime={props.value} title={props.value}>
      {formatter.format(date)}
    </time>
  );
};
