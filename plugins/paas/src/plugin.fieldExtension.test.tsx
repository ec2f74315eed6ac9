import { renderInTestApp } from '@backstage/test-utils';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { screen } from '@testing-library/react';
import { PaasResourceEstimateField } from './components/PaasResourceEstimateField';
import { PaasResourceEstimateFieldExtension } from './plugin';

const FieldNames = () => {
  const fields = useCustomFieldExtensions(
    <ScaffolderFieldExtensions>
      <PaasResourceEstimateFieldExtension />
    </ScaffolderFieldExtensions>,
  );
  return (
    <ul>
      {fields.map(field => (
        <li key={field.name}>
          {field.name}
          {field.component === PaasResourceEstimateField && ' (estimate field)'}
        </li>
      ))}
    </ul>
  );
};

describe('PaasResourceEstimateFieldExtension (legacy frontend system)', () => {
  it('registers the PaasResourceEstimate field inside ScaffolderFieldExtensions', async () => {
    await renderInTestApp(<FieldNames />);

    expect(
      screen.getByText('PaasResourceEstimate (estimate field)'),
    ).toBeInTheDocument();
  });
});
