// Deploy to the first environment: on the local provider pick one of the recent commits or type any ref;
// on ECS name the image (or just a tag of the image the service runs now).
import { useState } from 'react';
import { useCommits, useDeploy, useDeploymentStarted, usePipelines } from '../../api/hooks.js';
import { CommitLine } from '../../components/commit-line.js';
import { DialogButtons } from '../../components/dialog-buttons.js';
import { NoRollbackFields, reasonProblem } from '../../components/reason-field.js';
import { Modal } from '../../components/modal.js';
import { InlineError, SkeletonLines } from '../../components/states.js';
import { TextField } from '../../components/text-field.js';

interface DialogProps {
  readonly pipeline: string;
  readonly environment: string;
  readonly onClose: () => void;
}

export function DeployDialog({ pipeline, environment, onClose }: DialogProps) {
  const pipelines = usePipelines();
  const provider = pipelines.data
    ?.find((p) => p.name === pipeline)
    ?.environments.find((e) => e.name === environment)?.provider;
  if (provider === undefined && pipelines.isPending) {
    return (
      <Modal title={`Deploy to ${environment}`} onClose={onClose} testId="deploy-dialog">
        <SkeletonLines lines={3} label="Loading the environment" />
      </Modal>
    );
  }
  return provider === 'aws-ecs' ? (
    <ImageDeployDialog pipeline={pipeline} environment={environment} onClose={onClose} />
  ) : (
    <CommitDeployDialog pipeline={pipeline} environment={environment} onClose={onClose} />
  );
}

/** What both kinds of deploy dialog share: the dialog's frame, the no-rollback mark, submitting, closing once it started. */
function useDeployForm({ pipeline, environment, onClose }: DialogProps, ref: string, missing: string) {
  const deploy = useDeploy();
  const started = useDeploymentStarted(pipeline, environment, onClose);
  const [noRollback, setNoRollback] = useState(false);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const problem = ref === '' ? missing : noRollback ? reasonProblem(reason) : undefined;

  const submit = () => {
    setTried(true);
    if (problem || deploy.isPending) return;
    started.arm();
    deploy.mutate(
      { pipeline, environment, ref, ...(noRollback ? { noRollbackReason: reason.trim() } : {}) },
      { onSuccess: onClose, onError: started.disarm },
    );
  };

  const footer = (
    <DialogButtons
      onCancel={onClose}
      label={`Deploy to ${environment}`}
      busyLabel="Deploying…"
      busy={deploy.isPending}
    />
  );
  const modal = { title: `Deploy to ${environment}`, onClose, onSubmit: submit, testId: 'deploy-dialog', footer };

  const after = (
    <>
      <NoRollbackFields
        checked={noRollback}
        onCheckedChange={setNoRollback}
        reason={reason}
        onReasonChange={setReason}
        showProblem={tried}
      />
      {tried && ref === '' ? <p className="field-error">{missing}</p> : null}
      <InlineError error={deploy.error} title="The deploy did not start" />
    </>
  );

  return { modal, after, tried };
}

function ImageDeployDialog(props: DialogProps) {
  const [image, setImage] = useState('');
  const ref = image.trim();
  const form = useDeployForm(props, ref, 'Type an image reference or a tag.');

  return (
    <Modal
      {...form.modal}
      description="Pins the image by digest, runs the release phase, then rolls the ECS service out with no downtime."
    >
      <TextField
        label="Image"
        mono
        placeholder="123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:v1.4.0"
        value={image}
        onChange={setImage}
        hint={
          <>
            An image reference (repository:tag or repository@sha256:…), or just a tag such as <code>v1.4.0</code> of the
            image the service runs now.
          </>
        }
        aria-invalid={form.tried && ref === '' ? true : undefined}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
        maxLength={200}
      />
      {form.after}
    </Modal>
  );
}

function CommitDeployDialog(props: DialogProps) {
  const commits = useCommits(props.pipeline);
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const [picked, setPicked] = useState<string | undefined>(undefined);

  // Until the person picks or types, the newest commit is the default.
  const ref = (typed ?? picked ?? commits.data?.[0]?.sha ?? '').trim();
  const form = useDeployForm(props, ref, 'Pick a commit or type a ref.');

  return (
    <Modal
      {...form.modal}
      description="Builds the commit once, runs the release phase, then swaps instances with no downtime."
    >
      <fieldset className="commit-picker">
        <legend className="field-label">Recent commits</legend>
        {commits.isPending ? (
          <SkeletonLines lines={4} label="Loading commits" />
        ) : commits.isError ? (
          <p className="small muted">Commits are not available: {commits.error.message} Type a ref below instead.</p>
        ) : commits.data.length === 0 ? (
          <p className="small muted">The repository has no commits to show. Type a ref below.</p>
        ) : (
          <div className="commit-list" role="radiogroup" aria-label="Recent commits">
            {commits.data.map((c) => {
              const checked = typed === undefined && (picked ?? commits.data[0]?.sha) === c.sha;
              return (
                <label key={c.sha} className={`commit-option${checked ? ' is-checked' : ''}`}>
                  <input
                    type="radio"
                    name="commit"
                    value={c.sha}
                    checked={checked}
                    onChange={() => {
                      setPicked(c.sha);
                      setTyped(undefined);
                    }}
                  />
                  <CommitLine commit={c} />
                </label>
              );
            })}
          </div>
        )}
      </fieldset>

      <TextField
        label="Or type a git ref"
        mono
        placeholder="branch, tag or SHA"
        value={typed ?? ''}
        onChange={(value) => setTyped(value === '' ? undefined : value)}
        data-autofocus
        maxLength={200}
      />

      {form.after}
    </Modal>
  );
}
